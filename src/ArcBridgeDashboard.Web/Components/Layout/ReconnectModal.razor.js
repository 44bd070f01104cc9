// Set up event handlers
const reconnectModal = document.getElementById("components-reconnect-modal");
reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
resumeButton.addEventListener("click", resume);

// A field's value reaches the server in its change event, and Blazor drops an event it cannot send while the live
// connection is down. Opening this dialog takes the focus from the field being edited, which fires that very change:
// a paste then stayed in the field but never reached the page (Preview stayed disabled). Fields changed while the
// connection is down send their change again once it is back.
let connectionDown = false;
const changedWhileDown = new Set();
document.addEventListener("change", event => {
    if (connectionDown && event.target instanceof Element) {
        changedWhileDown.add(event.target);
    }
}, true);

function resendChangedWhileDown() {
    for (const field of changedWhileDown) {
        // A file input's change would read its files again; the dialog keeps the file picker closed anyway.
        if (field.isConnected && !field.disabled && field.type !== "file") {
            field.dispatchEvent(new Event("change", { bubbles: true }));
        }
    }
    changedWhileDown.clear();
}

function handleReconnectStateChanged(event) {
    if (event.detail.state === "show") {
        connectionDown = true; // before showModal: it moves the focus and so fires the edited field's change
        reconnectModal.showModal();
    } else if (event.detail.state === "hide") {
        // Blazor says "hide" once the circuit is connected again (reconnected or resumed): sends work again.
        connectionDown = false;
        reconnectModal.close();
        resendChangedWhileDown();
    } else if (event.detail.state === "failed") {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    } else if (event.detail.state === "rejected") {
        location.reload();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);

    try {
        // Reconnect will asynchronously return:
        // - true to mean success
        // - false to mean we reached the server, but it rejected the connection (e.g., unknown circuit ID)
        // - exception to mean we didn't reach the server (this can be sync or async)
        const successful = await Blazor.reconnect();
        if (!successful) {
            // We have been able to reach the server, but the circuit is no longer available.
            // We'll reload the page so the user can continue using the app as quickly as possible.
            const resumeSuccessful = await Blazor.resumeCircuit();
            if (!resumeSuccessful) {
                location.reload();
            } else {
                reconnectModal.close();
            }
        }
    } catch (err) {
        // We got an exception, server is currently unavailable
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    }
}

async function resume() {
    try {
        const successful = await Blazor.resumeCircuit();
        if (!successful) {
            location.reload();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
