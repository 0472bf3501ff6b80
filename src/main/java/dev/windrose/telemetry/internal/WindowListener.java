package dev.windrose.telemetry.internal;

/** Told about every finished rollup step, on the history thread (never the sampler's). */
interface WindowListener {

    void fineWindow(Rollup.Window window);

    void coarseWindow(Rollup.Window window);
}
