package dev.odestream.data;

/**
 * The noise-free path of one spiral: an Archimedean spiral {@code r = a + b theta} traversed at one radian per unit
 * time from {@code startAngle}. Clockwise spirals are the mirror image across the horizontal axis through their
 * centre, so both directions grow outwards.
 *
 * @param radiusOffset {@code a}.
 * @param radiusGrowth {@code b}.
 * @param startAngle {@code theta} at time 0.
 * @param clockwise direction of travel.
 * @param centerX x of the centre.
 * @param centerY y of the centre.
 */
public record SpiralCurve(double radiusOffset, double radiusGrowth, double startAngle, boolean clockwise,
                          double centerX, double centerY) {

    /** @return the polar angle {@code theta(t)} before mirroring. */
    public double angle(double t) {
        return startAngle + t;
    }

    /** @return the distance from the centre at time {@code t}. */
    public double radius(double t) {
        return radiusOffset + radiusGrowth * angle(t);
    }

    /**
     * The clean position at time {@code t}.
     *
     * @param t time. Not modified.
     * @param out receives {@code (x, y)} at {@code out[offset]} and {@code out[offset + 1]}. Modified.
     * @param offset where to write in {@code out}.
     */
    public void position(double t, double[] out, int offset) {
        double theta = angle(t);
        double r = radius(t);
        double mirror = clockwise ? -1.0 : 1.0;
        out[offset] = centerX + r * Math.cos(theta);
        out[offset + 1] = centerY + mirror * r * Math.sin(theta);
    }
}
