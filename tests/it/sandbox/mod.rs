//! The embedded AWS sandbox, through the real SDK clients and botocore:
//! the wire protocols, world files, and every write it answers.

mod actions;
mod authoring;
mod botocore;
mod drift;
mod lifecycle;
mod organizations;
mod s3;
mod sdk;
mod world;
mod writes;
