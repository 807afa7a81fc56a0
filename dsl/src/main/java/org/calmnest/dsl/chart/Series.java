package org.calmnest.dsl.chart;

/**
 * A named list of (x, y) points: the plain input of every chart builder.
 *
 * @param name shown in the legend
 * @param x    x values
 * @param y    y values, same length as x
 */
public record Series(String name, double[] x, double[] y) {

    public Series {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Series name is \"" + name + "\"; give every series a name for the legend");
        }
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException("Series \"" + name + "\": x has " + (x == null ? "null" : x.length)
                    + " values and y has " + (y == null ? "null" : y.length) + "; pass the same number of x and y values");
        }
        x = x.clone();
        y = y.clone();
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    public int size() {
        return x.length;
    }
}
