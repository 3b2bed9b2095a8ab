"""Regenerate constitution-day.webm (a 4-second VP8 clip for the demo video block) without
network or ffmpeg: Chromium records a canvas animation with MediaRecorder.

    .venv/bin/python learning/demo_media/make_demo_video.py learning/demo_media/constitution-day.webm
"""

import base64
import sys

from playwright.sync_api import sync_playwright

JS = """
async () => {
  const c = document.createElement('canvas'); c.width = 320; c.height = 180;
  document.body.appendChild(c);
  const g = c.getContext('2d');
  const stream = c.captureStream(15);
  const rec = new MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 150000});
  const chunks = [];
  rec.ondataavailable = e => chunks.push(e.data);
  const done = new Promise(r => rec.onstop = r);
  rec.start();
  const t0 = performance.now();
  await new Promise(resolve => {
    function frame() {
      const t = (performance.now() - t0) / 1000;
      g.fillStyle = '#b3261e'; g.fillRect(0, 0, 320, 180);
      g.fillStyle = '#ffd54f';
      for (let i = 0; i < 5; i++) { const a = t + i * 1.2566; g.beginPath(); g.arc(160 + 60*Math.cos(a), 90 + 40*Math.sin(a), 10, 0, 6.283); g.fill(); }
      g.fillStyle = '#fff'; g.font = 'bold 28px sans-serif'; g.fillText('XIAN FA', 100, 100);
      if (t < 4) requestAnimationFrame(frame); else resolve();
    }
    frame();
  });
  rec.stop(); await done;
  const blob = new Blob(chunks, {type: 'video/webm'});
  const buf = new Uint8Array(await blob.arrayBuffer());
  let s = ''; for (const b of buf) s += String.fromCharCode(b);
  return btoa(s);
}
"""
with sync_playwright() as pw:
    b = pw.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"], headless=True
    )
    p = b.new_page()
    p.set_content("<html><body></body></html>")
    data = base64.b64decode(p.evaluate(JS))
    open(sys.argv[1], "wb").write(data)
    b.close()
print(len(data))
