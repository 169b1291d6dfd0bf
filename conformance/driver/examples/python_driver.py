#!/usr/bin/env python3
"""Conformance driver for the official AMPS Python client (pip package ``amps-python-client``).

Speaks the amps-ts conformance driver protocol (conformance/driver/PROTOCOL.md) on stdin/stdout, so the
TypeScript suite can run every scenario against the Python client:

    pip install amps-python-client
    npx tsx conformance/cli.ts conformance \\
        --client 'driver:python3 conformance/driver/examples/python_driver.py' \\
        --uri tcp://127.0.0.1:9007/amps/json          # or leave --uri out: embedded mock server

This is an example: it is documented, not run in CI (the AMPS Python client is a compiled extension that CI
does not install). Results are reported as ``driver:python``; list documented gaps in
conformance/known-differences/driver-python.yaml.

Design: the main thread reads requests; each request runs on a worker thread (client calls block until
their ack), so a publish is never stuck behind a pending subscribe. Message handlers run on the client's
receive thread and only copy the message and write an event line. All writes to stdout go through one lock.
"""

import json
import os
import sys
import tempfile
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor

import AMPS

PROTOCOL = 1
OUT_LOCK = threading.Lock()

CAPABILITIES = [
    "publish", "subscribe", "filter", "regex-topic", "replace",
    "sow", "sow-batching", "top-n", "order-by", "sow-and-subscribe", "oof",
    "sow-delete", "sow-delete-keys", "sow-delete-data",
    "delta-publish", "delta-subscribe",
    "bookmark", "bookmark-store", "persistent-bookmark-store",
    "queue", "queue-ack", "auto-ack",
    "ha", "publish-store", "heartbeat", "auth", "command-timeout", "flush",
]

# Reason strings the suite asserts on, by the exception the Python client raises for them
# (see shared/reference/vectors/python-client-reason-to-exception.txt).
REASON_BY_EXCEPTION = {
    "BadFilterException": "bad filter",
    "BadRegexTopicException": "bad regex topic",
    "AuthenticationException": "auth failure",
    "NameInUseException": "name in use",
    "NotEntitledException": "not entitled",
    "InvalidTopicException": "invalid topic",
    "SubscriptionAlreadyExistsException": "subscription already exists",
}


def write(obj):
    line = json.dumps(obj, separators=(",", ":"))
    with OUT_LOCK:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def error_info(exc):
    name = type(exc).__name__
    if "TimedOut" in name:
        kind = "timeout"
    elif "Disconnected" in name:
        kind = "disconnected"
    elif "Connection" in name or "InvalidURI" in name or "TransportType" in name:
        kind = "connection"
    elif isinstance(exc, AMPS.AMPSException):
        kind = "server"
    else:
        kind = "other"
    info = {"kind": kind, "type": name, "message": str(exc) or name}
    if name in REASON_BY_EXCEPTION:
        info["reason"] = REASON_BY_EXCEPTION[name]
    return info


# Message.Command values → protocol command names (the client exposes an enum, not the wire text).
def command_names():
    names = {}
    enum = AMPS.Message.Command
    for attr, text in (("Publish", "publish"), ("SOW", "sow"), ("OOF", "oof"), ("Ack", "ack"),
                       ("GroupBegin", "group_begin"), ("GroupEnd", "group_end"), ("DeltaPublish", "publish")):
        if hasattr(enum, attr):
            names[getattr(enum, attr)] = text
    return names


COMMANDS = command_names()


def to_event_message(m):
    """Copies what the suite reads from a message (the client reuses message objects after the handler)."""
    cmd = m.get_command()
    out = {"command": COMMANDS.get(cmd, str(cmd))}
    getters = {
        "topic": "get_topic", "sowKey": "get_sow_key", "bookmark": "get_bookmark", "reason": "get_reason",
        "subId": "get_sub_id", "queryId": "get_query_id", "leasePeriod": "get_lease_period",
        "correlationId": "get_correlation_id", "ackType": "get_ack_type", "status": "get_status",
        "options": "get_options",
    }
    for key, getter in getters.items():
        fn = getattr(m, getter, None)
        value = fn() if fn else None
        if value not in (None, ""):
            out[key] = value if isinstance(value, str) else str(value)
    data = m.get_data()
    if data not in (None, ""):
        out["data"] = data if isinstance(data, str) else data.decode("utf-8")
    return out


BOOKMARKS = {
    "EPOCH": AMPS.Client.Bookmarks.EPOCH,
    "NOW": AMPS.Client.Bookmarks.NOW,
    "MOST_RECENT": AMPS.Client.Bookmarks.MOST_RECENT,
}


class Driver:
    def __init__(self):
        self.sessions = {}          # session id -> client
        self.subs = {}              # sub handle -> (client, sub id, {ref: message copy})
        self.lock = threading.Lock()
        self.next_ref = 1
        self.bookmark_stores = {}   # name -> shared MemoryBookmarkStore
        self.publish_stores = {}
        self.store_dir = tempfile.mkdtemp(prefix="amps-py-conformance-")
        self.closing = set()

    # ---- helpers
    def new_ref(self):
        with self.lock:
            ref = self.next_ref
            self.next_ref += 1
            return ref

    def client(self, session):
        c = self.sessions.get(session)
        if c is None:
            raise RuntimeError("session %s is not connected" % session)
        return c

    def bookmark_store(self, name, recover):
        if recover:
            # A file-backed store re-opened from its file, as a new process would.
            return AMPS.MMapBookmarkStore(os.path.join(self.store_dir, name + ".bm"))
        if name not in self.bookmark_stores:
            self.bookmark_stores[name] = AMPS.MemoryBookmarkStore()
        return self.bookmark_stores[name]

    def publish_store(self, name):
        if name not in self.publish_stores:
            self.publish_stores[name] = AMPS.MemoryPublishStore()
        return self.publish_stores[name]

    # ---- operations
    def op_create_session(self, req):
        self.sessions.pop(req["session"], None)

    def op_connect(self, req):
        session = req["session"]
        o = req["options"]
        if o.get("haUris"):
            client = AMPS.HAClient(o["name"])
            chooser = AMPS.DefaultServerChooser()
            for uri in o["haUris"]:
                chooser.add(uri)
            client.set_server_chooser(chooser)
        else:
            client = AMPS.Client(o["name"])

            def on_disconnect(c, session=session):
                if session not in self.closing:
                    write({"type": "disconnected", "session": session,
                           "error": {"kind": "disconnected", "message": "connection lost"}})

            client.set_disconnect_handler(on_disconnect)
        client.set_exception_listener(lambda e: log("client exception: %s" % e))
        if o.get("heartbeatSeconds"):
            client.set_heartbeat(o["heartbeatSeconds"])
        if o.get("bookmarkStore"):
            client.set_bookmark_store(self.bookmark_store(o["bookmarkStore"], o.get("recoverBookmarkStore", False)))
        if o.get("publishStore"):
            client.set_publish_store(self.publish_store(o["publishStore"]))
        if o.get("autoAck"):
            client.set_auto_ack(True)
        if o.get("ackBatchSize"):
            client.set_ack_batch_size(o["ackBatchSize"])
        if o.get("ackTimeoutMs"):
            client.set_ack_timeout(o["ackTimeoutMs"])
        timeout = o.get("commandTimeoutMs", 0)
        if o.get("haUris"):
            client.connect_and_logon()
        else:
            client.connect(o["uri"])
            client.logon(timeout)
        self.closing.discard(session)
        self.sessions[session] = client

    def op_publish(self, req):
        opts = req.get("options") or {}
        if "expiration" in opts:
            self.client(req["session"]).publish(req["topic"], req["data"], opts["expiration"])
        else:
            self.client(req["session"]).publish(req["topic"], req["data"])

    def op_delta_publish(self, req):
        opts = req.get("options") or {}
        if "expiration" in opts:
            self.client(req["session"]).delta_publish(req["topic"], req["data"], opts["expiration"])
        else:
            self.client(req["session"]).delta_publish(req["topic"], req["data"])

    def op_flush(self, req):
        self.client(req["session"]).flush()

    def op_subscribe(self, req):
        client = self.client(req["session"])
        r = req["request"]
        handle = req["sub"]
        refs = {}
        cmd = AMPS.Command(r["command"]).set_topic(r["topic"])
        if r.get("filter"):
            cmd.set_filter(r["filter"])
        if r.get("options"):
            cmd.set_options(",".join(r["options"]))
        if r.get("bookmark"):
            cmd.set_bookmark(BOOKMARKS.get(r["bookmark"], r["bookmark"]))
        if r.get("batchSize"):
            cmd.set_batch_size(r["batchSize"])
        if r.get("topN"):
            cmd.set_top_n(r["topN"])
        if r.get("orderBy"):
            cmd.set_order_by(r["orderBy"])
        if r.get("subId"):
            cmd.set_sub_id(r["subId"])
        replacing = "replace" in (r.get("options") or []) and r.get("subId")
        if replacing:
            # Keep delivering into the subscription being replaced.
            for h, (c, sid, old_refs) in list(self.subs.items()):
                if c is client and sid == r["subId"]:
                    handle, refs = h, old_refs

        def on_message(m, handle=handle, refs=refs):
            ref = self.new_ref()
            refs[ref] = m.__copy__() if hasattr(m, "__copy__") else m
            write({"type": "message", "session": req["session"], "sub": handle, "ref": ref,
                   "message": to_event_message(m)})

        sub_id = client.execute_async(cmd, on_message)
        self.subs[req["sub"]] = (client, sub_id, refs)
        return {"id": sub_id}

    def op_sow(self, req):
        client = self.client(req["session"])
        r = req["request"]
        cmd = AMPS.Command("sow").set_topic(r["topic"])
        if r.get("filter"):
            cmd.set_filter(r["filter"])
        if r.get("batchSize"):
            cmd.set_batch_size(r["batchSize"])
        if r.get("topN"):
            cmd.set_top_n(r["topN"])
        if r.get("orderBy"):
            cmd.set_order_by(r["orderBy"])
        if r.get("options"):
            cmd.set_options(",".join(r["options"]))
        records = []
        for m in client.execute(cmd):  # a MessageStream that ends after the query completes
            em = to_event_message(m)
            if em["command"] == "sow":
                records.append(em)
        return {"records": records}

    def op_sow_delete(self, req):
        client = self.client(req["session"])
        r = req["request"]
        if "filter" in r:
            ack = client.sow_delete(r["topic"], r["filter"])
        elif "keys" in r:
            ack = client.sow_delete_by_keys(r["topic"], r["keys"])
        else:
            ack = client.sow_delete_by_data(r["topic"], r["data"])
        matches = ack.get_matches() if ack is not None and hasattr(ack, "get_matches") else None
        return {"deleted": int(matches)} if matches not in (None, "") else {}

    def message_ref(self, req):
        client, _sub_id, refs = self.subs[req["sub"]]
        return client, refs[req["ref"]]

    def op_ack(self, req):
        client, m = self.message_ref(req)
        if req.get("options"):
            m.ack(req["options"])
        else:
            m.ack()

    def op_discard(self, req):
        client, m = self.message_ref(req)
        client.discard(m)

    def op_unsubscribe(self, req):
        client, sub_id, _refs = self.subs.pop(req["sub"])
        client.unsubscribe(sub_id)

    def op_disconnect(self, req):
        session = req["session"]
        self.closing.add(session)
        client = self.sessions.pop(session, None)
        if client is not None:
            try:
                client.close()
            except AMPS.AMPSException:
                pass

    def handle(self, req):
        try:
            result = getattr(self, "op_" + req["op"])(req)
            reply = {"type": "result", "id": req["id"], "ok": True}
            if result is not None:
                reply["result"] = result
            write(reply)
        except Exception as exc:  # every failure goes back to the suite as a result line
            log(traceback.format_exc())
            write({"type": "result", "id": req["id"], "ok": False, "error": error_info(exc)})


def main():
    driver = Driver()
    write({"type": "hello", "protocol": PROTOCOL, "client": "python",
           "description": "official AMPS Python client %s" % getattr(AMPS, "__version__", ""),
           "transport": "tcp", "capabilities": CAPABILITIES})
    pool = ThreadPoolExecutor(max_workers=16)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        if req.get("op") == "shutdown":
            write({"type": "result", "id": req["id"], "ok": True})
            break
        pool.submit(driver.handle, req)
    pool.shutdown(wait=True)
    for session in list(driver.sessions):
        driver.op_disconnect({"session": session})


if __name__ == "__main__":
    main()
