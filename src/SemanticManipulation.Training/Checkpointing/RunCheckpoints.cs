using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Checkpointing;

/// <summary>
/// A training run's checkpoints in one folder: what <c>FittingLoop.Checkpoint</c> writes (the loop decides when: at
/// the interval and on cancellation), and the line the log gets when a cancelled run has been checkpointed.
/// </summary>
internal sealed partial class RunCheckpoints(
    string directory,
    string name,
    IReadOnlyDictionary<string, nn.Module> modules,
    IReadOnlyDictionary<string, OptimizerHelper> optimizers,
    string optionsJson,
    ILogger logger)
{
    /// <summary>Checkpoints the run after <paramref name="step"/>.</summary>
    public void Save(int step) => TrainingCheckpoint.Save(directory, name, step, modules, optimizers, optionsJson);

    /// <summary>Logs that the run was cancelled after <paramref name="step"/>, which its checkpoint holds.</summary>
    public void OnCancelled(int step) => LogCancelled(logger, name, step, directory);

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Cancelled: {Name} training checkpointed at step {Step} in {Directory}; the next run resumes after it")]
    private static partial void LogCancelled(ILogger logger, string name, int step, string directory);
}
