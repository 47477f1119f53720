using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>train --out DIR [--gan-steps N]</c>: trains the embedded model's generator on the procedural scene world,
/// resuming from the checkpoints in DIR.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Directory for checkpoints and results (resumed if present).", Required = true };
        var ganSteps = new Option<int>("--gan-steps") { Description = "GAN training steps.", DefaultValueFactory = _ => 10_000 };
        var batch = new Option<int>("--batch") { Description = "GAN batch size.", DefaultValueFactory = _ => 16 };
        var widths = new Option<string>("--widths") { Description = "Generator channels per resolution block from 4×4 up, comma-separated (the count sets the resolution).", DefaultValueFactory = _ => "256,128,64,32,16" };
        var latent = new Option<int>("--latent-size") { Description = "Length of z.", DefaultValueFactory = _ => 128 };
        var command = new Command("train", "Train the default model on the procedural scene world (resumable).") { output, ganSteps, batch, widths, latent };
        command.SetAction((parse, cancellationToken) =>
        {
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var directory = parse.GetValue(output)!.FullName;
            var options = new GanTrainingOptions
            {
                Steps = parse.GetValue(ganSteps),
                BatchSize = parse.GetValue(batch),
                LatentSize = parse.GetValue(latent),
                BlockChannels = parse.GetValue(widths)!.Split(',').Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            };
            var source = new SceneWorldImageSource(new SceneWorld(), 4 << (options.BlockChannels.Count - 1));
            var result = new GanTrainer(loggerFactory.CreateLogger<GanTrainer>())
                .Train(source, options, Path.Combine(directory, "gan"), progress: null, cancellationToken);
            loggerFactory.CreateLogger("train").LogInformation("Generator: {Path}", result);
            return Task.FromResult(0);
        });
        return command;
    }
}
