"""`ccetrust audit --format html` opened in a real headless Chromium, driven over the DevTools
protocol on a pipe (`--remote-debugging-pipe`: no port, no extra Python package).

For each example and for a generated 300-host deployment (gen_deployment.py): no console error,
no uncaught exception, no network request besides the page itself (the file:// document);
the number of matrix marks with `data-status` equals the number of relationships in the audit
JSON and each mark's importer, exporter, service, requirement and status agree with one edge;
every finding is there with its code. A control page with a request and a console error is
opened first and must be caught, so the check cannot pass by not looking. A screenshot of the 300-host report is written to
target/ops/report-300.png (a CI artefact).

Usage: check_html.py CCETRUST_BIN EXAMPLES_DIR OUT_DIR
"""

import base64
import collections
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless Chromium and one page, spoken to over fds 3 (in) and 4 (out)."""

    def __init__(self, binary, profile):
        r_cmd, w_cmd = os.pipe()   # we write commands, Chromium reads fd 3
        r_ev, w_ev = os.pipe()     # Chromium writes fd 4, we read
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                "--remote-debugging-pipe", "--window-size=1600,1000", "about:blank"]

        def fds():
            # Copies first, so a pipe that already is fd 3 or 4 is not overwritten early.
            a, b = os.dup(r_cmd), os.dup(w_ev)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.log = open(os.path.join(os.path.dirname(profile), "chromium.log"), "wb")
        # The child closes every fd but 3 and 4 after `fds` ran (pass_fds).
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=fds,
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        os.close(r_cmd)
        os.close(w_ev)
        self.out = os.fdopen(w_cmd, "wb", buffering=0)
        self.inp = os.fdopen(r_ev, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read(self):
        while b"\0" not in self.buf:
            chunk = self.inp.read(1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.out.write(json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_for(self, method, timeout_events=100000):
        for e in self.events:
            if e["method"] == method:
                return e
        for _ in range(timeout_events):
            m = self._read()
            if "method" in m:
                self.events.append(m)
                if m["method"] == method:
                    return m
        raise RuntimeError(f"no {method}")

    def open_page(self):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        att = self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True},
                        session=False)
        self.session = att["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"evaluate: {r['exceptionDetails']}")
        return r["result"]["value"]

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def problems(events, url):
    out = []
    for e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            out.append(f"console.{p['type']}: {p.get('args')}")
        elif m == "Runtime.exceptionThrown":
            out.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            out.append(f"log: {p['entry'].get('text')}")
        elif m == "Network.requestWillBeSent" and p.get("request", {}).get("url") != url:
            out.append(f"network request: {p['request']['url']}")
    return out


READ_MARKS = """JSON.stringify(Array.from(document.querySelectorAll('#matrix [data-status]')).map(
  function (e) { return [e.dataset.importer, e.dataset.exporter, e.dataset.service,
                         e.dataset.requirement, e.dataset.status, e.dataset.code]; }))"""
READ_FINDINGS = """JSON.stringify(Array.from(document.querySelectorAll('.finding[data-code]')).map(
  function (e) { return e.dataset.code; }))"""


def check(browser, binary, inv, at, html, screenshot=None):
    with open(html, "w") as f:
        f.write(subprocess.run([binary, "audit", "--format", "html", "--at", at, inv],
                               check=True, capture_output=True, text=True).stdout)
    doc = json.loads(subprocess.run([binary, "audit", "--json", "--at", at, inv],
                                    check=True, capture_output=True, text=True).stdout)
    url = "file://" + os.path.abspath(html)
    browser.navigate(url)
    marks = json.loads(browser.evaluate(READ_MARKS))
    found = problems(browser.events, url)
    assert not found, f"{inv}: {found[:5]}"
    edges = collections.Counter((e["importer"], e["exporter"], e["service"], e["requirement"],
                                 e["status"], e["code"]) for e in doc["edges"])
    assert len(marks) == len(doc["edges"]), (len(marks), len(doc["edges"]))
    assert collections.Counter(tuple(m) for m in marks) == edges, f"{inv}: statuses disagree"
    # Findings: the text report's groups (chain.untrusted of one store with one fix) are one
    # block each, so every code is there and no block is invented.
    codes = json.loads(browser.evaluate(READ_FINDINGS))
    assert set(codes) == {f["code"] for f in doc["findings"]}, inv
    assert len(codes) <= len(doc["findings"])
    # Collapsing a role group hides its rows (the page's own script runs).
    hidden = browser.evaluate("""(function () {
        var g = document.querySelector('th.group[data-rgroup]'); g.click();
        var n = document.querySelectorAll('tr.off').length; g.click(); return n; })()""")
    assert hidden > 0, "collapsing a role group hid nothing"
    found = problems(browser.events, url)
    assert not found, f"{inv}: {found[:5]}"
    if screenshot:
        shot = browser.call("Page.captureScreenshot", {"format": "png"})
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    print(f"html: {os.path.basename(html)}: {len(marks)} relationships, "
          f"{len(codes)} finding blocks, no console error, no request: ok")


BAD_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<img src="http://192.0.2.1/x.png"><script>console.error("control")</script></body></html>"""


def control(browser, out):
    """The check must see what it looks for: a page with a request and a console error."""
    path = os.path.join(out, "control-bad.html")
    with open(path, "w") as f:
        f.write(BAD_PAGE)
    url = "file://" + os.path.abspath(path)
    browser.navigate(url)
    found = problems(browser.events, url)
    assert any(p.startswith("network request: http://192.0.2.1/") for p in found), found
    assert any(p.startswith("console.error") for p in found), found


def at_of(example):
    with open(os.path.join(example, "GENERATED_AT")) as f:
        t = datetime.datetime.fromisoformat(f.read().strip().replace("Z", "+00:00"))
    return (t + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    binary, examples, out = sys.argv[1], sys.argv[2], sys.argv[3]
    chrome = chromium()
    if chrome is None:
        if os.environ.get("CI") == "true":
            sys.exit("html: chromium is not installed (CI=true: failing, not skipping)")
        print("html: SKIPPED, chromium is not installed (apt-get install chromium)")
        return
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        profile = os.path.join(tmp, "profile")
        os.makedirs(profile)
        browser = Browser(chrome, profile)
        try:
            browser.open_page()
            control(browser, out)
            for name in sorted(os.listdir(examples)):
                ex = os.path.join(examples, name)
                if os.path.exists(os.path.join(ex, "inventory.toml")):
                    check(browser, binary, os.path.join(ex, "inventory.toml"), at_of(ex),
                          os.path.join(out, f"report-{name}.html"))
            big = os.path.join(tmp, "deployment-300.toml")
            lab = os.path.join(examples, "pcce-2k-lab")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_deployment.py"), lab, "300",
                            big], check=True)
            check(browser, binary, big, at_of(lab), os.path.join(out, "report-300.html"),
                  screenshot=os.path.join(out, "report-300.png"))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
