//! The line editor on a thread of its own: the prompt can wait for a line
//! while the session keeps an open transaction's connection alive (a
//! sandbox left idle must not be closed by the server). The editor still
//! knows nothing of the language: it gets prompts, names and history.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use rustyline::Editor;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;

use super::ShellHelper;
use super::complete::Names;

enum Request {
    Read(String),
    /// A finished input for the history (and the history file).
    Remember(String),
    Names(Names),
    /// The history, oldest first.
    History(Sender<Vec<String>>),
}

pub struct Reader {
    requests: Option<Sender<Request>>,
    lines: Receiver<rustyline::Result<String>>,
    thread: Option<JoinHandle<()>>,
}

impl Reader {
    pub fn start(
        mut editor: Editor<ShellHelper, DefaultHistory>,
        history: Option<PathBuf>,
    ) -> Reader {
        let (requests, inbox) = channel::<Request>();
        let (reply, lines) = channel();
        let thread = std::thread::spawn(move || {
            for request in inbox {
                match request {
                    Request::Read(prompt) => {
                        if reply.send(editor.readline(&prompt)).is_err() {
                            break;
                        }
                    }
                    Request::Remember(line) => {
                        let _ = editor.add_history_entry(line.as_str());
                        if let Some(h) = &history {
                            let _ = editor.append_history(h);
                        }
                    }
                    Request::History(answer) => {
                        let entries = editor.history().iter().cloned().collect();
                        let _ = answer.send(entries);
                    }
                    Request::Names(names) => {
                        if let Some(helper) = editor.helper_mut() {
                            helper.models = names.models.iter().map(|(m, _)| m.clone()).collect();
                            helper.attributes = names.attributes();
                            helper.names = names;
                        }
                    }
                }
            }
        });
        Reader {
            requests: Some(requests),
            lines,
            thread: Some(thread),
        }
    }

    fn send(&self, request: Request) {
        if let Some(r) = &self.requests {
            let _ = r.send(request);
        }
    }

    /// A line, calling `idle` every `every` while none has come.
    pub fn read(
        &self,
        prompt: &str,
        every: Duration,
        mut idle: impl FnMut(),
    ) -> rustyline::Result<String> {
        self.send(Request::Read(prompt.to_string()));
        loop {
            match self.lines.recv_timeout(every) {
                Ok(line) => return line,
                Err(RecvTimeoutError::Timeout) => idle(),
                Err(RecvTimeoutError::Disconnected) => return Err(ReadlineError::Eof),
            }
        }
    }

    pub fn remember(&self, line: &str) {
        self.send(Request::Remember(line.to_string()));
    }

    /// The inputs in the history, oldest first.
    pub fn history(&self) -> Vec<String> {
        let (answer, entries) = channel();
        self.send(Request::History(answer));
        entries.recv().unwrap_or_default()
    }

    pub fn set_names(&self, names: Names) {
        self.send(Request::Names(names));
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop (it is not reading now).
        self.requests = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
