// The page checks of tests/test_accessibility.py, injected into each page beside axe-core: each returns
// its problems as one line of text each.
window.jimoChecks = (() => {
  // A short description of an element for a message.
  const describe = (el) => {
    const classes = typeof el.className === "string" ? el.className.trim().split(/\s+/).filter(Boolean) : [];
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id.slice(0, 40) : "");
    return `${name}${classes.map((c) => "." + c).join("")} "${(el.textContent || "").trim().slice(0, 40)}"`;
  };

  // Every th has a scope, every table a caption, headings start at h1 and never skip a level.
  const structure = () => {
    const problems = [];
    for (const cell of document.querySelectorAll("th:not([scope])")) {
      problems.push(`th without scope: ${describe(cell)}`);
    }
    for (const table of document.querySelectorAll("table")) {
      if (!table.caption || !table.caption.textContent.trim()) {
        problems.push(`table without caption: ${describe(table.rows[0] || table)}`);
      }
    }
    let level = 0;
    for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
      const next = Number(heading.tagName[1]);
      if (next > level + 1) problems.push(`heading skips from h${level} to h${next}: ${describe(heading)}`);
      level = next;
    }
    return problems;
  };

  // Listens to focus moving (the test then presses Tab): which links it reaches, and every focused
  // element without a visible outline of at least 2px. Returns how many elements could take focus.
  let focus = null;
  const watchFocus = () => {
    const links = Array.from(document.querySelectorAll("a[href]")).filter((link) => link.checkVisibility());
    focus = { links, reached: new Set(), unseen: new Set() };
    document.addEventListener("focusin", (event) => {
      const el = event.target;
      if (links.includes(el)) focus.reached.add(el);
      const style = getComputedStyle(el);
      const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
      if (!el.matches(":focus-visible") || !outlined) {
        focus.unseen.add(`${describe(el)} (outline ${style.outlineStyle} ${style.outlineWidth})`);
      }
    });
    if (document.activeElement) document.activeElement.blur();
    return document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]").length;
  };
  const focusProblems = () => [
    ...focus.links
      .filter((link) => !focus.reached.has(link))
      .map((link) => `Tab never reaches link "${link.textContent.trim().slice(0, 40)}"`),
    ...[...focus.unseen].map((what) => `focus not visible on ${what}`),
  ];

  // At the page's current width: the page does not scroll sideways, nothing sticks out of it except
  // inside a scrolling wrapper, and no box cuts its text off.
  const reflow = () => {
    const width = document.documentElement.clientWidth;
    const inScroller = (el) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) return true;
      }
      return false;
    };
    const problems = [];
    const content = document.documentElement.scrollWidth;
    if (content > width) problems.push(`the page scrolls sideways: ${content}px of content in ${width}px`);
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.width <= 1) continue; // not shown, or visually hidden on purpose (read by screen readers)
      if ((box.right > width + 1 || box.left < -1) && !inScroller(el)) {
        problems.push(`${describe(el)} reaches ${Math.round(box.left)}–${Math.round(box.right)}px of ${width}px`);
      }
      const clips = ["hidden", "clip"].includes(getComputedStyle(el).overflowX);
      if (clips && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim()) {
        problems.push(`${describe(el)} clips its content: ${el.scrollWidth}px shown in ${el.clientWidth}px`);
      }
    }
    return problems;
  };

  return { structure, watchFocus, focusProblems, reflow };
})();
