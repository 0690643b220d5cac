"""The load benchmark's users (run by ``bench/load.py``): the public on the open pages,
analysts on their region's pages, and providers reporting activity through the API."""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

INDICATORS = ["U01402", "U01405", "N00997", "N01805"]


class Public(HttpUser):
    weight = 5
    wait_time = between(0.5, 2)

    @task(3)
    def region(self):
        self.client.get("/region/01/", name="/region/[kod]/")

    @task(3)
    def indicator(self):
        self.client.get(f"/indikator/{random.choice(INDICATORS)}/", name="/indikator/[kod]/")

    @task(1)
    def open_priorities(self):
        self.client.get("/region/01/prioriteringar/", name="/region/[kod]/prioriteringar/")


class Analyst(HttpUser):
    weight = 3
    wait_time = between(0.5, 2)

    def on_start(self):
        login = self.client.get("/konto/logga-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        self.client.post(
            "/konto/logga-in/",
            {
                "username": "anna.analytiker",
                "password": "demo-analytiker",
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/konto/logga-in/"},
            name="/konto/logga-in/ (POST)",
        )

    @task(3)
    def region(self):
        self.client.get("/region/01/", name="/region/[kod]/ (analytiker)")

    @task(2)
    def indicator(self):
        self.client.get(
            f"/indikator/{random.choice(INDICATORS)}/", name="/indikator/[kod]/ (analytiker)"
        )

    @task(1)
    def assignments(self):
        self.client.get("/uppdrag/", name="/uppdrag/")


class Provider(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.headers = {"Authorization": f"Bearer {os.environ['HALSOGAP_BENCH_KEY']}"}
        self.assignment = int(os.environ["HALSOGAP_BENCH_ASSIGNMENT"])
        self.plan_line = int(os.environ["HALSOGAP_BENCH_PLAN_LINE"])

    @task(2)
    def list_assignments(self):
        self.client.get("/api/v1/assignments", headers=self.headers, name="/api/v1/assignments")

    @task(1)
    def report(self):
        self.client.post(
            f"/api/v1/assignments/{self.assignment}/reports",
            json={
                "period": "2026",
                "values": [{"plan_line": self.plan_line, "value": random.randint(100, 400)}],
            },
            headers=self.headers,
            name="/api/v1/assignments/[id]/reports (POST)",
        )
