#!/usr/bin/env python3
"""A scripted OpenAI-compatible model server for benchmarks/memory.sh (the edge we do not own, speaking the real
wire protocol: /v1/models and streamed /v1/chat/completions). Stateless: a request whose last message is a tool
result gets a short text answer; any other gets one tool call, taken in turn from grep, read_file, glob, list_dir.
    scripted_model.py PORT
"""
import http.server
import itertools
import json
import sys

CALLS = itertools.cycle([
    ("grep", {"pattern": "fn main", "glob": "**/*.rs"}),
    ("read_file", {"path": "README.md"}),
    ("glob", {"pattern": "**/Cargo.toml"}),
    ("list_dir", {"path": "."}),
])
counter = itertools.count(1)


def chunk(delta, finish=None):
    choice = {"index": 0, "delta": delta}
    if finish:
        choice["finish_reason"] = finish
    body = {"choices": [choice]}
    if finish:
        body["usage"] = {"prompt_tokens": 100, "completion_tokens": 10}
    return "data: " + json.dumps(body) + "\n\n"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, content_type, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.endswith("/models"):
            self.send(200, "application/json",
                      json.dumps({"object": "list", "data": [{"id": "scripted-model", "object": "model"}]}))
        else:
            self.send(404, "application/json", "{}")

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        messages = request.get("messages", [])
        if messages and messages[-1].get("role") == "tool":
            events = [chunk({"content": "Done: the tool answered."}), chunk({}, "stop")]
        else:
            name, arguments = next(CALLS)
            call = {"index": 0, "id": "call_%d" % next(counter), "type": "function",
                    "function": {"name": name, "arguments": json.dumps(arguments)}}
            events = [chunk({"tool_calls": [call]}), chunk({}, "tool_calls")]
        self.send(200, "text/event-stream", "".join(events) + "data: [DONE]\n\n")


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
