using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Dissection;
using SemanticManipulation.Training;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>dissect [--model BUNDLE] --out concepts.json [--unit-ranking iou|effect]</c>: the dissection stage of <c>train</c>
/// alone, on a finished bundle's generator and segmenter, with the default model's recipe
/// (<see cref="DefaultModelOptions.Dissection"/>): a new concept catalog for a bundle whose generator is unchanged, e.g.
/// after the dissection learnt to rank units for removal. The bundle is not changed; copy the file over its catalog.
/// </summary>
internal static class DissectCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the concept catalog (this SDK's JSON).", Required = true };
        var ranking = new Option<string?>("--unit-ranking")
        {
            Description = "How each concept's units are ranked: 'iou' (GANPaint Studio's) or 'effect' (causal effect of switching each on, and off for removal; the recipe's).",
        };
        ranking.AcceptOnlyFromAmong("iou", "effect");
        var command = new Command("dissect", "Dissect a bundle's generator with its segmenter into a new concept catalog (train's dissection stage alone).")
        {
            model, output, ranking,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            using var outputs = new OutputSet();
            var catalogPath = outputs.Data("--out", parse.GetValue(output)!);
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            using var loaded = CommonOptions.LoadModel(parse.GetValue(model)!, loggerFactory);
            var segmenter = loaded.Segmenter ?? throw new ArgumentException(
                "dissect needs a model bundle with a segmenter (a folder with bundle.json), not a bare generator checkpoint.");
            // The recipe for the generator's size where there is one: the dissection it was trained with.
            var resolution = loaded.Generator.Resolution;
            var recipe = DefaultModelOptions.Resolutions.Contains(resolution) ? DefaultModelOptions.ForResolution(resolution) : new DefaultModelOptions();
            var options = recipe.Dissection;
            switch (parse.GetValue(ranking))
            {
                case "iou":
                    options.CausalRanking = null;
                    break;
                case "effect":
                    options.CausalRanking ??= new CausalRankingOptions();
                    break;
            }

            var progress = new Progress<DissectionProgress>(p =>
            {
                if (p.IsMilestone)
                {
                    Console.Error.WriteLine($"{p.Stage.ToString().ToLowerInvariant()} {p.Completed}/{p.Total}, {p.Elapsed.TotalSeconds:F0} s");
                }
            });
            var result = new GanDissector(loggerFactory.CreateLogger<GanDissector>())
                .Dissect(loaded.Generator, segmenter, options, progress, cancellationToken);
            outputs.Write(catalogPath, result.Catalog.Save);
            outputs.Commit(cancellationToken);
            loggerFactory.CreateLogger("dissect").LogInformation("Concept catalog: {Path} ({Seconds:F0} s)", catalogPath, result.Elapsed.TotalSeconds);
            return Task.FromResult(0);
        });
        return command;
    }
}
