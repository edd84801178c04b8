/*
 * Suggests existing tags in the comma-separated tag box of the story form.
 *
 * The box stays a plain text input: editors may type any tag, and a new one is
 * created on save. As they type the last tag, a <datalist> offers existing
 * tags from the admin's autocomplete endpoint. Each suggestion is the whole
 * new value of the box (the tags typed so far plus the suggested one), because
 * a datalist replaces the input's value when an option is picked.
 */
"use strict";
{
    const DELAY_MS = 200;

    // Tag names with a space or comma must be quoted, or they would be read as
    // several tags when the form is saved.
    function quoteTagName(name) {
        return /[ ,]/.test(name) ? `"${name.replaceAll('"', "")}"` : name;
    }

    function splitLastTag(value) {
        const comma = value.lastIndexOf(",");
        const typed = comma === -1 ? "" : `${value.slice(0, comma + 1)} `;
        const chosen = typed
            .split(",")
            .map((name) => name.trim().replace(/^"|"$/g, "").toLowerCase())
            .filter(Boolean);
        return {typed, chosen: new Set(chosen), term: value.slice(comma + 1).trim()};
    }

    function attach(input) {
        const datalist = document.getElementById(input.getAttribute("list"));
        let timer = null;
        let inFlight = null;

        async function suggest() {
            const {typed, chosen, term} = splitLastTag(input.value);
            if (!term) {
                datalist.replaceChildren();
                return;
            }
            inFlight?.abort();
            inFlight = new AbortController();
            const params = new URLSearchParams({
                term,
                app_label: input.dataset.appLabel,
                model_name: input.dataset.modelName,
                field_name: input.dataset.fieldName,
            });
            let response;
            try {
                response = await fetch(`${input.dataset.tagSuggestions}?${params}`, {
                    credentials: "same-origin",
                    headers: {Accept: "application/json"},
                    signal: inFlight.signal,
                });
            } catch (error) {
                if (error.name === "AbortError") return;
                throw error;
            }
            // Without suggestions the box still works as a plain text input.
            if (!response.ok) return;
            const {results} = await response.json();
            datalist.replaceChildren(
                ...results
                    .filter(({text}) => !chosen.has(text.toLowerCase()))
                    .map(({text}) => new Option(text, typed + quoteTagName(text)))
            );
        }

        input.addEventListener("input", () => {
            clearTimeout(timer);
            timer = setTimeout(suggest, DELAY_MS);
        });
    }

    document.addEventListener("DOMContentLoaded", () => {
        document.querySelectorAll("input[data-tag-suggestions]").forEach(attach);
    });
}
