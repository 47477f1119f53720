using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Checkpointing;

/// <summary>
/// When a resumable training loop checkpoints: every interval steps short of the last (the final state is the caller's
/// to write), and, when the loop is cancelled, at the last step it finished if no checkpoint holds it yet, so stopping a
/// run loses no finished step. <see cref="AfterStep"/> goes to <c>FittingLoop.Completed</c>, <see cref="OnCancelled"/>
/// to <c>FittingLoop.Cancelled</c>.
/// </summary>
internal sealed partial class RunCheckpoints(
    string directory,
    string name,
    int start,
    int interval,
    int steps,
    IReadOnlyDictionary<string, nn.Module> modules,
    IReadOnlyDictionary<string, OptimizerHelper> optimizers,
    string optionsJson,
    ILogger logger)
{
    private int _savedStep = start;

    /// <summary>Checkpoints <paramref name="step"/> when it falls on the interval.</summary>
    public void AfterStep(int step)
    {
        if (step % interval == 0 && step < steps)
        {
            Save(step);
        }
    }

    /// <summary>Checkpoints the last finished step of a cancelled loop unless a checkpoint already holds it.</summary>
    public void OnCancelled(int step)
    {
        if (step > _savedStep)
        {
            LogCheckpointingOnCancellation(logger, name, step, directory);
            Save(step);
        }
    }

    private void Save(int step)
    {
        TrainingCheckpoint.Save(directory, name, step, modules, optimizers, optionsJson);
        _savedStep = step;
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Cancelled: checkpointing {Name} training at step {Step} in {Directory} before stopping")]
    private static partial void LogCheckpointingOnCancellation(ILogger logger, string name, int step, string directory);
}
