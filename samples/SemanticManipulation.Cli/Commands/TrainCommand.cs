using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Dissection;
using SemanticManipulation.Training;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>train [--work DIR] [--out BUNDLE] [--resolution 64|128] [--gan-steps N] [--gan-channels C4,C8,...] [--gan-semantic-weight W] [--gan-learning-rate LR] [--gan-ema-half-life IMAGES] [--gan-final-ema-half-life IMAGES] [--gan-final-ema-start STEP] [--unit-ranking iou|effect]</c>: builds the default model from scratch on the procedural
/// scene world — generator, segmenter, dissection, encoder — resuming every stage from its last checkpoint.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var work = new Option<DirectoryInfo>("--work") { Description = "Checkpoints and stage results (resumed if present).", DefaultValueFactory = _ => new DirectoryInfo(".train/default") };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write the model bundle.", DefaultValueFactory = _ => new DirectoryInfo("models/default") };
        var resolution = new Option<int>("--resolution")
        {
            Description = "The model's side in pixels: 128 (the shipped model's recipe) or 64 (the first default model's).",
            DefaultValueFactory = _ => 128,
        };
        resolution.AcceptOnlyFromAmong([.. DefaultModelOptions.Resolutions.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var ganSteps = new Option<int?>("--gan-steps") { Description = "GAN training steps (default: the recipe's, 8000 at 64², 15000 at 128²)." };
        var ganChannels = new Option<string?>("--gan-channels")
        {
            Description = "The generator's channels per resolution block from 4×4 up, comma-separated (the count sets the resolution: 5 blocks make 64²).",
        };
        var ganSemanticWeight = new Option<double?>("--gan-semantic-weight")
        {
            Description = "Weight of the semantic discriminator (judges the segmenter's class maps) beside the pixel one; 0 turns it off (default 1).",
        };
        var learningRate = new Option<double?>("--gan-learning-rate")
        {
            Description = "Adam's learning rate for both GAN networks (default 0.002); a continued run takes the new rate.",
        };
        var emaHalfLife = new Option<double?>("--gan-ema-half-life")
        {
            Description = "Half-life, in images, of the moving average of the generator's weights that ships (default 10000).",
        };
        var finalEmaHalfLife = new Option<double?>("--gan-final-ema-half-life")
        {
            Description = "The average's half-life, in images, after --gan-final-ema-start (default: --gan-ema-half-life throughout).",
        };
        var finalEmaStart = new Option<int?>("--gan-final-ema-start")
        {
            Description = "The GAN step after which --gan-final-ema-half-life sets the average's half-life.",
        };
        var ranking = new Option<string?>("--unit-ranking")
        {
            Description = "How the dissection ranks each concept's units: 'iou' (GANPaint Studio's) or 'effect' (causal effect of switching each on).",
        };
        ranking.AcceptOnlyFromAmong("iou", "effect");
        var command = new Command("train", "Build the default model bundle from scratch on the procedural scene world (resumable).")
        {
            work, output, resolution, ganSteps, ganChannels, ganSemanticWeight, learningRate, emaHalfLife, finalEmaHalfLife, finalEmaStart, ranking,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var options = DefaultModelOptions.ForResolution(parse.GetValue(resolution));
            // Each GAN option left off the command line keeps the recipe's value; each given one is remembered by the
            // property it sets, so that a value the options refuse is reported under the flag the user typed.
            var gan = options.Gan;
            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            void IfGiven<T>(Option<T?> option, string property, Action<T> set)
                where T : struct
            {
                if (parse.GetValue(option) is T value)
                {
                    set(value);
                    flags[property] = option.Name;
                }
            }

            IfGiven(ganSteps, nameof(gan.Steps), v => gan.Steps = v);
            if (parse.GetValue(ganChannels) is string channels)
            {
                gan.BlockChannels = ParseChannels(channels);
                flags[nameof(gan.BlockChannels)] = ganChannels.Name;
            }

            IfGiven(ganSemanticWeight, nameof(gan.SemanticWeight), v => gan.SemanticWeight = v);
            IfGiven(learningRate, nameof(gan.LearningRate), v => gan.LearningRate = v);
            IfGiven(emaHalfLife, nameof(gan.EmaHalfLifeImages), v => gan.EmaHalfLifeImages = v);
            IfGiven(finalEmaHalfLife, nameof(gan.FinalEmaHalfLifeImages), v => gan.FinalEmaHalfLifeImages = v);
            IfGiven(finalEmaStart, nameof(gan.FinalEmaStartStep), v => gan.FinalEmaStartStep = v);

            switch (parse.GetValue(ranking))
            {
                case "iou":
                    options.Dissection.CausalRanking = null;
                    break;
                case "effect":
                    options.Dissection.CausalRanking ??= new CausalRankingOptions();
                    break;
            }

            // The command line sets only GAN options, so only the GAN's refusals are renamed to flags; the pipeline then
            // checks every stage's options before its first stage.
            try
            {
                gan.Validate();
            }
            catch (ArgumentOutOfRangeException ex) when (ex.ParamName is { } property && flags.TryGetValue(property, out var flag))
            {
                throw new ArgumentException($"{flag}: {CliApplication.OneLine(ex)}", ex);
            }

            // --out is checked now (declaring it is the check), but the hours of training leave no staging folder beside
            // it: the pipeline assembles the bundle in the work folder, and its files are put in place together at the
            // end, so a failure or Ctrl+C then leaves the folder's previous bundle whole.
            var bundle = parse.GetValue(output)!;
            using (var check = new OutputSet())
            {
                check.Folder("--out", bundle);
            }

            var workDirectory = parse.GetValue(work)!.FullName;
            var assembled = new DefaultModelPipeline(loggerFactory).Run(new SceneWorld(), options, workDirectory, Path.Combine(workDirectory, "bundle"), cancellationToken);
            using var outputs = new OutputSet();
            var staging = outputs.Folder("--out", bundle);
            foreach (var file in Directory.EnumerateFiles(assembled))
            {
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
            }

            outputs.Commit(cancellationToken);
            loggerFactory.CreateLogger("train").LogInformation("Model bundle: {Path}", bundle.FullName);
            return Task.FromResult(0);
        });
        return command;
    }

    private static int[] ParseChannels(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var channels = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out channels[i]) || channels[i] < 1)
            {
                throw new ArgumentException($"--gan-channels: '{parts[i]}' is not a positive whole number (expected e.g. 256,256,128,48,24).");
            }
        }

        return channels;
    }
}
