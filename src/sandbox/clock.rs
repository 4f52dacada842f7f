//! Sandbox time: real time, optionally sped up so stacks move faster in tests.

use std::time::Instant;

use chrono::{Duration, Utc};

use super::world::Time;

#[derive(Debug, Clone)]
pub struct Clock {
    started_real: Instant,
    started_at: Time,
    speed: f64,
}

impl Clock {
    /// `speed` sandbox seconds pass per real second, from `epoch` (else now).
    pub fn new(speed: f64, epoch: Option<Time>) -> Self {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        Self {
            started_real: Instant::now(),
            started_at: epoch.unwrap_or_else(Utc::now),
            speed,
        }
    }

    pub fn now(&self) -> Time {
        let real = self.started_real.elapsed().as_secs_f64() * self.speed;
        self.started_at + Duration::milliseconds((real * 1000.0) as i64)
    }
}
