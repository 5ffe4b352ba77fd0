package dev.odestream.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineForecastTest {

    @Test
    void shouldForecastTheEwmaWithTheSpreadOfItsOneStepErrorsAndThePoissonRateOverTheSpan() {
        BaselineForecast b = new BaselineForecast(1, 1);
        b.observe(0, new double[] {10}, null, 0);
        b.observe(2, new double[] {12}, null, 0);
        b.observe(4, new double[] {11}, null, 0);
        // level 10 -> 10.6 (error 2) -> 10.72 (error 0.4); variance 4 -> 0.7*4 + 0.3*0.16
        ForecastPoint p = b.point(6);
        assertEquals(10.72, p.mean()[0], 1e-12);
        assertEquals(Math.sqrt(0.7 * 4 + 0.3 * 0.16), p.std()[0], 1e-12);
        double rate = (2 + 0.5) / 4;
        assertEquals(rate, p.intensity()[0], 1e-12);
        assertEquals(rate * 2, p.expectedCount()[0], 1e-12);
        assertEquals(Math.exp(-rate * 2), p.probabilityNoEvent(), 1e-12);
    }

    @Test
    void shouldStayFiniteWithOneEventAMissingDimensionAndAConstantSeries() {
        BaselineForecast b = new BaselineForecast(2, 2);
        b.observe(5, new double[] {3, 0}, new boolean[] {true, false}, 1);
        ForecastPoint one = b.point(5);
        assertTrue(one.isFinite(), one.toString());
        assertArrayEquals(new double[] {3, 0}, one.mean());
        assertArrayEquals(new double[] {1, 1}, one.std(), "one unit of spread before any change is seen");
        assertEquals(1.0, one.probabilityNoEvent());
        b.observe(6, new double[] {3, 0}, new boolean[] {true, false}, 1);
        b.observe(7, new double[] {3, 0}, new boolean[] {true, false}, 1);
        ForecastPoint constant = b.point(8);
        assertTrue(constant.std()[0] > 0 && constant.isFinite(), constant.toString());
        assertTrue(constant.intensity()[0] > 0 && constant.intensity()[1] > constant.intensity()[0],
                "an unseen type keeps a small rate below the seen one's");
    }
}
