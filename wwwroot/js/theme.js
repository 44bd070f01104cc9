// Remembers the operator's light/dark choice in this browser.
window.arcbridgeTheme = {
    get: () => { try { return localStorage.getItem("arcbridge-theme"); } catch { return null; } },
    set: (value) => { try { localStorage.setItem("arcbridge-theme", value); } catch { /* private mode: not remembered */ } },
};
