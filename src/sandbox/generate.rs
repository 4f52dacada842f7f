//! placeholder
pub fn generate(_accounts: usize, _products: usize, _provisioned_per_account: usize) -> String {
    String::new()
}
