# Locust's side of the protocol benchmark: each user posts the bodies genload
# sends (BARE_BODIES, a JSON array of body strings, from the run's
# workload.jsonl), reads the SSE stream line by line with FastHttpUser's
# iter_lines, JSON-parses every data event (what any tool counting tokens
# does) and reports time to first token as its own entry ("ttft"). Locust
# times the POST itself to the response head only (stream=True); run.ts reads
# the POST row's Requests/s. Minimal on purpose: no retries, no checks beyond
# [DONE] and the token count.
import json
import os
import time

from locust import FastHttpUser, task

BODIES = json.load(open(os.environ["BARE_BODIES"]))
HEADERS = {"content-type": "application/json", "accept": "text/event-stream"}


class StreamUser(FastHttpUser):
    # FastHttpUser's default pool is one connection per user: a closed model of one request at a time
    @task
    def stream(self):
        body = BODIES[self.environment.runner.stats.total.num_requests % len(BODIES)]
        start = time.perf_counter()
        first = None
        tokens = 0
        done = False
        for line in self.client.iter_lines("/v1/chat/completions", method="POST", data=body, headers=HEADERS):
            if not line.startswith("data: "):
                continue
            data = line[6:]
            if data == "[DONE]":
                done = True
                break
            chunk = json.loads(data)
            choices = chunk.get("choices")
            if choices and choices[0].get("delta", {}).get("content"):
                tokens += 1
                if first is None:
                    first = time.perf_counter()
        if not done or tokens == 0:
            raise RuntimeError(f"stream ended without [DONE] or tokens ({tokens} tokens)")
        self.environment.events.request.fire(request_type="SSE", name="ttft", response_time=(first - start) * 1000, response_length=tokens, exception=None, context={})
