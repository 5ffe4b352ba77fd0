package dev.odestream.cli;

import dev.odestream.data.IrregularSeriesConfig;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.train.experiments.DemoForecastFigure;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Draws one demo series with the bundled default model's forecast and intensity ({@link DemoForecastFigure}):
 * {@code DemoFigureCommand [OUT.svg [SEED [SERIES]]]}, by default {@code docs/figures/demo-forecast.svg}, the
 * workload seed 20261123 (series the model was not trained on) and series 0.
 */
public final class DemoFigureCommand {

    private DemoFigureCommand() {
    }

    /** Writes the figure and prints where. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/figures/demo-forecast.svg");
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20_261_123L;
        int series = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        LoadedModel bundled = DefaultModel.load();
        LatentOdeModel model = bundled.instantiate();
        IrregularSeriesConfig workload = IrregularSeriesConfig.demo(series + 1, ModelConfig.reference()
                .observationDim());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        DemoForecastFigure.of(model, workload, seed, series, 40, 30, 15.0).write(out);
        System.out.println("wrote " + out + " (model version " + bundled.version() + ", workload seed " + seed
                + ", series " + series + ")");
    }
}
