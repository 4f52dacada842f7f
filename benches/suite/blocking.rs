//! The executor's blocking thread, as the render bench plays it: one
//! long-lived thread (tokio's blocking pool keeps its threads) on which jobs
//! run, scan answers are made, and replaced rows are dropped. Memory made
//! there is freed there, as in the console; the input thread only draws.

use std::sync::mpsc;
use std::thread::JoinHandle;

type Task = Box<dyn FnOnce() + Send>;

pub struct Blocking {
    tasks: Option<mpsc::Sender<Task>>,
    thread: Option<JoinHandle<()>>,
}

impl Blocking {
    pub fn new() -> Blocking {
        let (tasks, inbox) = mpsc::channel::<Task>();
        let thread = std::thread::Builder::new()
            .name("bench-blocking".into())
            .spawn(move || {
                for task in inbox {
                    task();
                }
            })
            .expect("a thread for the bench's blocking work");
        Blocking {
            tasks: Some(tasks),
            thread: Some(thread),
        }
    }

    /// Runs `work` there and waits for its result (untimed work).
    pub fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> T {
        let (answer, result) = mpsc::sync_channel(1);
        self.send(Box::new(move || {
            let _ = answer.send(work());
        }));
        result.recv().expect("the blocking thread answers")
    }

    /// Drops `garbage` there, without waiting.
    pub fn drop_later<T: Send + 'static>(&self, garbage: T) {
        self.send(Box::new(move || drop(garbage)));
    }

    fn send(&self, task: Task) {
        self.tasks
            .as_ref()
            .expect("open until dropped")
            .send(task)
            .expect("the blocking thread runs");
    }
}

impl Drop for Blocking {
    fn drop(&mut self) {
        drop(self.tasks.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
