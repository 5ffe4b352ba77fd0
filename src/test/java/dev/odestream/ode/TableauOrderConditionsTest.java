package dev.odestream.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Butcher's order conditions over all rooted trees: a weight vector {@code w} has order {@code p} when
 * {@code sum_i w_i Phi_i(t) = 1 / gamma(t)} for every tree with at most {@code p} nodes. Checked for the propagated
 * weights {@code b}, the embedded weights {@code b - bError} and the continuous extension {@code b_i(theta)}, and
 * each is checked to fail at one order higher, so a tableau's declared order is exact.
 */
class TableauOrderConditionsTest {

    private static final int MAX_ORDER = 9;
    private static final List<List<Tree>> TREES = treesUpTo(MAX_ORDER);

    /** A rooted tree as the list of its root's subtrees. */
    private record Tree(List<Tree> children, int order, double gamma) {

        static Tree of(List<Tree> children) {
            int order = 1;
            double gamma = 1;
            for (Tree child : children) {
                order += child.order;
                gamma *= child.gamma;
            }
            return new Tree(children, order, gamma * order);
        }

        /** Phi_i(t) = prod over children of (A Phi(child))_i, per stage i. */
        double[] phi(Tableau tableau) {
            int s = tableau.stages();
            double[] phi = new double[s];
            java.util.Arrays.fill(phi, 1);
            for (Tree child : children) {
                double[] inner = child.phi(tableau);
                for (int i = 0; i < s; i++) {
                    double sum = 0;
                    for (int j = 0; j < i; j++) {
                        sum += tableau.a()[i][j] * inner[j];
                    }
                    phi[i] *= sum;
                }
            }
            return phi;
        }
    }

    @Test
    void shouldEnumerateTheKnownNumberOfRootedTrees() {
        int[] expected = {0, 1, 1, 2, 4, 9, 20, 48, 115, 286};
        for (int order = 1; order <= MAX_ORDER; order++) {
            assertEquals(expected[order], TREES.get(order).size(), "trees of order " + order);
        }
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void shouldSatisfyRowSumCondition(Method method) {
        Tableau tableau = method.tableau();
        for (int i = 0; i < tableau.stages(); i++) {
            double sum = 0;
            for (double a : tableau.a()[i]) {
                sum += a;
            }
            assertEquals(tableau.c()[i], sum, 1e-14, tableau.name() + " row " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void shouldHaveExactlyTheDeclaredOrder(Method method) {
        Tableau tableau = method.tableau();
        assertEquals(tableau.order(), orderOf(tableau, tableau.b(), 1.0), tableau.name());
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"BOSH3", "DOPRI5", "TSIT5", "DOPRI8"})
    void shouldHaveEmbeddedSolutionOfTheErrorOrder(Method method) {
        Tableau tableau = method.tableau();
        double[] bHat = new double[tableau.stages()];
        for (int i = 0; i < bHat.length; i++) {
            bHat[i] = tableau.b()[i] - tableau.bError()[i];
        }
        assertEquals(method.errorOrder(), orderOf(tableau, bHat, 1.0), tableau.name() + " embedded");
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"EULER", "MIDPOINT", "HEUN", "RK4", "DOPRI5", "TSIT5"})
    void shouldHaveContinuousExtensionOfItsOrderAtEveryTheta(Method method) {
        Tableau tableau = method.tableau();
        int expected = switch (method) {
            case EULER -> 1;
            case MIDPOINT, HEUN -> 2;
            case RK4 -> 3;
            default -> 4;
        };
        for (double theta : new double[] {0.2, 0.5, 0.9}) {
            assertEquals(expected, orderOf(tableau, denseWeights(tableau, theta), theta),
                    tableau.name() + " dense at theta=" + theta);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"EULER", "MIDPOINT", "HEUN", "RK4", "DOPRI5", "TSIT5"})
    void shouldHaveContinuousExtensionEndingAtTheWeights(Method method) {
        Tableau tableau = method.tableau();
        double[] atOne = denseWeights(tableau, 1.0);
        for (int i = 0; i < atOne.length; i++) {
            assertEquals(tableau.b()[i], atOne[i], 1e-13, tableau.name() + " b_" + i + "(1)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"BOSH3", "DOPRI5", "TSIT5"})
    void shouldHaveLastStageEqualToSolutionWhenFsal(Method method) {
        Tableau tableau = method.tableau();
        assertTrue(tableau.fsal());
        int last = tableau.stages() - 1;
        assertEquals(1.0, tableau.c()[last]);
        assertEquals(0.0, tableau.b()[last]);
        for (int j = 0; j < last; j++) {
            assertEquals(tableau.b()[j], tableau.a()[last][j], 0.0, tableau.name() + " a[last][" + j + "]");
        }
    }

    private static double[] denseWeights(Tableau tableau, double theta) {
        double[] w = new double[tableau.stages()];
        for (int i = 0; i < w.length; i++) {
            double power = theta;
            for (double coefficient : tableau.dense()[i]) {
                w[i] += coefficient * power;
                power *= theta;
            }
        }
        return w;
    }

    /**
     * @return the largest p such that every tree up to p nodes satisfies sum w_i Phi_i = theta^|t| / gamma
     *     (theta = 1 for the step's weights).
     */
    private static int orderOf(Tableau tableau, double[] w, double theta) {
        for (int order = 1; order <= MAX_ORDER; order++) {
            for (Tree tree : TREES.get(order)) {
                double[] phi = tree.phi(tableau);
                double sum = 0;
                double magnitude = 0;
                for (int i = 0; i < w.length; i++) {
                    sum += w[i] * phi[i];
                    magnitude += Math.abs(w[i] * phi[i]);
                }
                double target = Math.pow(theta, order) / tree.gamma();
                if (Math.abs(sum - target) > 1e-13 * Math.max(1, magnitude) + 1e-14) {
                    return order - 1;
                }
            }
        }
        return MAX_ORDER;
    }

    /** Trees by order: a tree of order n is a multiset of subtrees whose orders sum to n - 1. */
    private static List<List<Tree>> treesUpTo(int maxOrder) {
        List<List<Tree>> byOrder = new ArrayList<>();
        byOrder.add(List.of());
        List<Tree> all = new ArrayList<>();
        for (int order = 1; order <= maxOrder; order++) {
            List<Tree> trees = new ArrayList<>();
            collect(all, order - 1, 0, new ArrayList<>(), trees);
            byOrder.add(trees);
            all.addAll(trees);
        }
        return byOrder;
    }

    private static void collect(List<Tree> all, int remaining, int from, List<Tree> chosen, List<Tree> out) {
        if (remaining == 0) {
            out.add(Tree.of(List.copyOf(chosen)));
            return;
        }
        for (int index = from; index < all.size(); index++) {
            Tree candidate = all.get(index);
            if (candidate.order() <= remaining) {
                chosen.add(candidate);
                collect(all, remaining - candidate.order(), index, chosen, out);
                chosen.remove(chosen.size() - 1);
            }
        }
    }
}
