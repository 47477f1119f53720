using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Training;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>train [--work DIR] [--out BUNDLE] [--gan-steps N]</c>: builds the default model from scratch on the procedural
/// scene world — generator, segmenter, dissection, encoder — resuming every stage from its last checkpoint.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var work = new Option<DirectoryInfo>("--work") { Description = "Checkpoints and stage results (resumed if present).", DefaultValueFactory = _ => new DirectoryInfo(".train/default") };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write the model bundle.", DefaultValueFactory = _ => new DirectoryInfo("models/default") };
        var ganSteps = new Option<int?>("--gan-steps") { Description = "GAN training steps (default 8000)." };
        var command = new Command("train", "Build the default model bundle from scratch on the procedural scene world (resumable).") { work, output, ganSteps };
        command.SetAction((parse, cancellationToken) =>
        {
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var options = new DefaultModelOptions();
            if (parse.GetValue(ganSteps) is int steps)
            {
                options.Gan.Steps = steps;
            }

            var bundle = new DefaultModelPipeline(loggerFactory)
                .Run(new SceneWorld(), options, parse.GetValue(work)!.FullName, parse.GetValue(output)!.FullName, cancellationToken);
            loggerFactory.CreateLogger("train").LogInformation("Model bundle: {Path}", bundle);
            return Task.FromResult(0);
        });
        return command;
    }
}
