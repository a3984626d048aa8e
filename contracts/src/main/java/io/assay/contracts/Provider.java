package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a model is reached. */
public enum Provider {
    /** A deterministic simulator with a known latent skill; always labelled simulated. */
    SIM,
    /** Any OpenAI-compatible Chat Completions endpoint (OpenAI, vLLM, Ollama, llama.cpp, TGI, ...). */
    OPENAI,
    /** Recorded answers served from a file. */
    REPLAY;

    /** The JSON name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
