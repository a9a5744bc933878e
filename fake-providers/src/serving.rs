//! A router served on a bound listener in the background, stopped gracefully on request or when
//! its handle is dropped: what every fake server of this crate does.

use std::io;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The handle of a served router.
#[derive(Debug)]
pub(crate) struct Served {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl Served {
    /// Serves `app` on `listener` in a task of the current Tokio runtime.
    pub(crate) fn spawn(listener: TcpListener, app: Router) -> Self {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // A dropped sender means the handle is gone: stop as well.
                    let _ = stopped.await;
                })
                .await
        });
        Self {
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Asks the server to stop accepting connections (in-flight requests finish).
    pub(crate) fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Waits until the server task ends (an accept error, or after [`stop`](Self::stop)).
    ///
    /// The handle stays in place while waiting, so that if this future is dropped (a `select!`
    /// that chose shutdown) a later call still waits for the real end.
    pub(crate) async fn wait(&mut self) -> io::Result<()> {
        let Some(task) = self.task.as_mut() else {
            return Ok(());
        };
        let ended = task.await;
        self.task = None;
        ended.map_err(io::Error::other)?
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop();
    }
}
