package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.CssImport;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A time-series line chart drawn in the browser by uPlot ({@code frontend/components/wr-live-chart.ts}).
 *
 * <p>The server names the lines once, sends the whole window once ({@link #show}), and then one
 * point per sample ({@link #append}): the browser keeps the window and drops what falls out of it,
 * so a second of a busy dashboard costs a few dozen bytes per chart on the push channel.
 */
@Tag("wr-live-chart")
@NpmPackage(value = "uplot", version = "1.6.32")
@JsModule("./components/wr-live-chart.ts")
@CssImport("uplot/dist/uPlot.min.css")
public class LiveChart extends Component implements HasSize {

    /** A line of the chart: its legend label and its colour (any CSS colour). */
    public record Line(String label, String color) {
    }

    /** One moment of every line, in the lines' order; null where there is no value (a gap, not 0). */
    public record Point(Instant time, @Nullable Double... values) {
    }

    private final int lineCount;

    public LiveChart(String ariaLabel, String unit, List<Line> lines) {
        this.lineCount = lines.size();
        getElement().setAttribute("role", "img");
        getElement().setAttribute("aria-label", ariaLabel);
        getElement().setProperty("unit", unit);
        getElement().callJsFunction("setSeries", lines);
        setWidthFull();
    }

    /** A logarithmic value axis, for figures that span orders of magnitude (latency percentiles). */
    public void setLogScale(boolean logScale) {
        getElement().setProperty("logScale", logScale);
    }

    /** How many seconds the chart keeps while points are appended; 0 keeps everything shown. */
    public void setWindowSeconds(long seconds) {
        getElement().setProperty("windowSeconds", seconds);
    }

    /** Replaces everything the chart shows. */
    public void show(List<Point> points) {
        double[] times = points.stream().mapToDouble(point -> epochSeconds(point.time())).toArray();
        @Nullable Double[][] values = new Double[lineCount][points.size()];
        for (int i = 0; i < points.size(); i++) {
            @Nullable Double[] pointValues = checked(points.get(i));
            for (int line = 0; line < lineCount; line++) {
                values[line][i] = pointValues[line];
            }
        }
        getElement().callJsFunction("setData", times, values);
    }

    /** Adds one point at the right; the browser drops points older than the window. */
    public void append(Point point) {
        getElement().callJsFunction("appendPoint", epochSeconds(point.time()), checked(point));
    }

    private @Nullable Double[] checked(Point point) {
        if (point.values().length != lineCount) {
            throw new IllegalArgumentException("a point of this chart has " + lineCount + " values, not "
                    + point.values().length + ": " + Arrays.toString(point.values()));
        }
        return point.values();
    }

    private static double epochSeconds(Instant time) {
        return time.toEpochMilli() / 1000.0;
    }
}
