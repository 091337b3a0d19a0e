//! The page's side of the parsing worker (`src/bin/worker/main.rs`). The worker's wasm is not
//! part of the first load: it starts once the page has drawn and gone idle
//! ([`warm_up_when_idle`]), or when a file arrives first, and files sent before it is ready
//! wait in a queue.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Blob, MessageEvent, Worker};

use crate::protocol::{Reply, Request};

enum Message {
    File { file: u32, drop: u32, name: String, blob: Blob },
    Request(Box<Request>),
}

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    ready: bool,
    queue: Vec<Message>,
    on_reply: Option<Rc<dyn Fn(Reply)>>,
    next_file: u32,
    next_drop: u32,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

fn post(worker: &Worker, message: Message) {
    match message {
        Message::File { file, drop, name, blob } => {
            let object = Object::new();
            for (key, value) in [
                ("file", JsValue::from(file)),
                ("drop", JsValue::from(drop)),
                ("name", JsValue::from(name)),
                ("blob", blob.into()),
            ] {
                let _ = Reflect::set(&object, &key.into(), &value);
            }
            let _ = worker.post_message(&object);
        }
        Message::Request(request) => {
            let text = serde_json::to_string(&*request).expect("requests are plain data");
            let _ = worker.post_message(&JsValue::from_str(&text));
        }
    }
}

/// Registers who gets the worker's replies. Call once, before sending anything.
pub fn on_reply(handler: impl Fn(Reply) + 'static) {
    CLIENT.with_borrow_mut(|c| c.on_reply = Some(Rc::new(handler)));
}

fn started(client: &mut Client) -> Option<&Worker> {
    if client.worker.is_none() {
        // Relative URL: works under any sub-path (GitHub Pages).
        let worker = Worker::new("./scanlens-worker_loader.js").ok()?;
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else { return };
            let Ok(reply) = serde_json::from_str::<Reply>(&text) else { return };
            let handler = CLIENT.with_borrow_mut(|c| {
                if reply == Reply::Ready {
                    c.ready = true;
                    let queue = std::mem::take(&mut c.queue);
                    if let Some(worker) = &c.worker {
                        queue.into_iter().for_each(|m| post(worker, m));
                    }
                }
                c.on_reply.clone()
            });
            if let Some(handler) = handler {
                handler(reply);
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        // A worker that dies (wasm out of memory, a panic) says so once; the page tells the user.
        let onerror =
            Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                let handler = CLIENT.with_borrow(|c| c.on_reply.clone());
                if let Some(handler) = handler {
                    handler(Reply::Stopped { message: event.message() });
                }
            });
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        onerror.forget();
        client.worker = Some(worker);
    }
    client.worker.as_ref()
}

fn send(message: Message) {
    CLIENT.with_borrow_mut(|client| {
        if started(client).is_none() {
            web_sys::console::error_1(&"scanlens: the parsing worker could not start".into());
            return;
        }
        match (&client.worker, client.ready) {
            (Some(worker), true) => post(worker, message),
            _ => client.queue.push(message),
        }
    });
}

/// Starts the worker once the page has drawn and has nothing else to do: it fetches and
/// compiles its wasm (~130 ms) and warms its parsers up (`src/bin/worker/warm.rs`) while the
/// user finds a file, instead of after the drop, and off the first load.
pub fn warm_up_when_idle() {
    let Some(window) = web_sys::window() else { return };
    let start = Closure::once_into_js(|| {
        CLIENT.with_borrow_mut(|client| {
            started(client);
        })
    });
    let start: &js_sys::Function = start.unchecked_ref();
    // Safari has no requestIdleCallback: a second after the first draw will do there.
    if window.request_idle_callback(start).is_err() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(start, 1000);
    }
}

/// A new drop: files given together (one drag, one pick, one demo build) share its id.
pub fn new_drop() -> u32 {
    CLIENT.with_borrow_mut(|c| {
        c.next_drop += 1;
        c.next_drop
    })
}

/// Sends a file (or any blob with a name) to the worker; returns the id its reply carries.
pub fn submit(drop: u32, name: String, blob: Blob) -> u32 {
    let file = CLIENT.with_borrow_mut(|c| {
        c.next_file += 1;
        c.next_file
    });
    send(Message::File { file, drop, name, blob });
    file
}

/// Sends a request.
pub fn request(request: Request) {
    send(Message::Request(Box::new(request)));
}
