#!/usr/bin/env python3
"""check-page.py CHROMIUM PAGE.html [--expect-problems] [--sections PREFIX]

Loads PAGE.html in headless Chromium over the DevTools protocol (--remote-debugging-pipe:
no port, no network) and checks what a reader's browser would do with it:

  - every request the page makes is for the page itself (no external resource, not even
    one the content security policy then blocks);
  - nothing is logged at warning or error level: no console message, no CSP violation,
    no script exception;
  - the page holds no script, frame, image, link or event-handler element (text taken
    from the inputs stayed text);
  - the page is no wider than the window (wide tables scroll inside their own box).

With --sections, also writes PREFIX-<id>.png: a picture of each section of the page
(traffic, matrix, services: the first 2500 pixels of each), however far down it is.

Prints one JSON line: {"requests": [...], "problems": [...], "height": px, "width": px}.
Exits 0 when there are no problems, 1 when there are; with --expect-problems the other
way round (the self-test on a page built to fail).
"""
import json, os, select, shutil, signal, subprocess, sys, tempfile, time

def browse(chromium, url, sections):
    """One headless Chromium run: returns the DevTools events and the page's measurements."""
    commands_r, commands_w = os.pipe()   # we write, Chromium reads fd 3
    replies_r, replies_w = os.pipe()     # Chromium writes fd 4, we read

    def child_fds():
        os.dup2(commands_r, 3)
        os.dup2(replies_w, 4)
        os.set_inheritable(3, True)  # dup2 onto itself keeps close-on-exec
        os.set_inheritable(4, True)

    profile = tempfile.mkdtemp(prefix="check-page-")
    browser = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--no-default-browser-check", "--hide-scrollbars", "--window-size=1280,1000", "--remote-debugging-pipe",
         f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        # Chromium makes its singleton socket's directory under TMPDIR: in the profile, so
        # that removing the profile leaves nothing behind in /tmp.
        env=dict(os.environ, TMPDIR=profile), preexec_fn=child_fds, close_fds=False, start_new_session=True)
    os.close(commands_r)
    os.close(replies_w)
    buffer, events, next_id = b"", [], [0]

    def read_message(deadline):
        nonlocal buffer
        while b"\0" not in buffer:
            left = deadline - time.time()
            if left <= 0 or not select.select([replies_r], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(replies_r, 1 << 16)
            if not chunk:
                raise EOFError("Chromium closed the DevTools pipe")
            buffer += chunk
        message, buffer = buffer.split(b"\0", 1)
        return json.loads(message)

    def send(method, params=None, session=None, timeout=20):
        next_id[0] += 1
        message = {"id": next_id[0], "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(commands_w, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = read_message(deadline)
            if reply.get("id") == next_id[0]:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            events.append(reply)

    def wait_for(method, timeout=20):
        deadline = time.time() + timeout
        while not any(event.get("method") == method for event in events):
            events.append(read_message(deadline))

    def drain(seconds):
        deadline = time.time() + seconds
        try:
            while True:
                events.append(read_message(deadline))
        except TimeoutError:
            pass

    try:
        # A cold first start (fontconfig cache, a new profile) can take far longer than a command.
        target = next(t for t in send("Target.getTargets", timeout=90)["targetInfos"] if t["type"] == "page")
        session = send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        for domain in ("Network", "Log", "Runtime", "Page"):
            send(f"{domain}.enable", session=session)
        events.clear()
        send("Page.navigate", {"url": url}, session=session)
        wait_for("Page.loadEventFired")
        drain(0.5)
        measured = send("Runtime.evaluate", {"expression": "JSON.stringify([document.documentElement.scrollWidth, "
                                             "document.documentElement.scrollHeight, window.innerWidth, document.querySelectorAll("
                                             "'script, iframe, object, embed, img, link, [onerror], [onload]').length])",
                                             "returnByValue": True}, session=session)["result"]["value"]
        width, height, window_width, active = json.loads(measured)
        if sections:
            import base64
            for section in ("traffic", "matrix", "services"):
                script = ("(() => { const e = document.getElementById('SECTION'); if (!e) return null; "
                          "const r = e.getBoundingClientRect(); "
                          "return JSON.stringify([r.x + scrollX, r.y + scrollY, r.width, r.height]); })()").replace("SECTION", section)
                rect = send("Runtime.evaluate", {"expression": script, "returnByValue": True}, session=session)["result"].get("value")
                if not rect:
                    continue
                x, y, w, h = json.loads(rect)
                shot = send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                            "clip": {"x": 0, "y": max(0, y - 10), "width": 1280, "height": min(h + 20, 2500), "scale": 1}},
                            session=session, timeout=60)
                with open(f"{sections}-{section}.png", "wb") as picture:
                    picture.write(base64.b64decode(shot["data"]))
    finally:
        # The whole process group: a renderer left behind would write into the profile
        # while it is removed.
        try:
            os.killpg(browser.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return events, width, height, window_width, active

def main():
    chromium, page = sys.argv[1], os.path.abspath(sys.argv[2])
    expect_problems = "--expect-problems" in sys.argv[3:]
    sections = sys.argv[sys.argv.index("--sections") + 1] if "--sections" in sys.argv else None
    url = "file://" + page
    # A browser that does not answer is the machine, not the page: start a fresh one, at most
    # three times, before giving up. A page's own problems are never retried.
    for attempt in range(1, 4):
        try:
            events, width, height, window_width, active = browse(chromium, url, sections)
            break
        except (TimeoutError, EOFError) as error:
            if attempt == 3:
                raise
            print(f"check-page: attempt {attempt}: {error}; starting Chromium again", file=sys.stderr)

    requests, problems = [], []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            requests.append(params["request"]["url"])
            if params["request"]["url"] != url:
                problems.append(f"request for {params['request']['url']}")
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("warning", "error"):
            problems.append(f"log {params['entry']['level']}: {params['entry']['text']}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("warning", "error", "assert"):
            problems.append(f"console {params['type']}: {[a.get('value') for a in params['args']]}")
        elif method == "Runtime.exceptionThrown":
            problems.append(f"exception: {params['exceptionDetails'].get('text')}")
    if active:
        problems.append(f"{active} script, frame, image, link or event-handler elements in the page")
    if width > window_width:
        problems.append(f"page is {width}px wide in a {window_width}px window")
    print(json.dumps({"page": page, "requests": requests, "problems": problems, "width": width, "height": height}))
    sys.exit(0 if bool(problems) == expect_problems else 1)

main()
