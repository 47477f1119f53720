using System.Globalization;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Imaging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Checkpointing;

/// <summary>
/// A resumable training checkpoint: the state dicts of named modules in one safetensors file (with the step and the
/// options in its metadata) plus one state file per optimiser, named with the step it holds. The weights file is the
/// commit point: it is written after the optimiser files of its step, and only then are older optimiser files deleted,
/// so a process killed at any moment leaves weights whose own step's optimiser state is on disk. Every file is replaced
/// atomically.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string StepKey = "step";
    private const string OptionsKey = "options";

    public static void Save(string directory, string name, int step, IReadOnlyDictionary<string, nn.Module> modules,
        IReadOnlyDictionary<string, OptimizerHelper> optimizers, string optionsJson)
    {
        foreach (var (key, optimizer) in optimizers)
        {
            var path = OptimizerPath(directory, name, key, step);
            var temporary = path + ".tmp";
            optimizer.save_state_dict(temporary);
            File.Move(temporary, path, overwrite: true);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (prefix, module) in modules)
        {
            foreach (var (key, tensor) in module.state_dict())
            {
                tensors[$"{prefix}.{key}"] = tensor;
            }
        }

        SafeTensorsWriter.Write(WeightsPath(directory, name), tensors, new Dictionary<string, string>
        {
            [StepKey] = step.ToString(CultureInfo.InvariantCulture),
            [OptionsKey] = optionsJson,
        });

        // Committed: the optimiser states of other steps (the previous checkpoint's, or a save cut short) are stale. A file
        // that cannot go now goes with the next save; failing here would report a save that succeeded as failed.
        foreach (var key in optimizers.Keys)
        {
            var current = Path.GetFileName(OptimizerPath(directory, name, key, step));
            foreach (var stale in OptimizerFiles(directory, name, key).Where(f => Path.GetFileName(f) != current))
            {
                AtomicFile.TryDelete(stale);
            }
        }
    }

    /// <summary>Restores the last checkpoint, if there is one.</summary>
    /// <param name="directory">The stage's checkpoint directory.</param>
    /// <param name="name">The checkpoint's name.</param>
    /// <param name="modules">Modules to restore, by prefix.</param>
    /// <param name="optimizers">Optimisers to restore, by key.</param>
    /// <returns>The step it was taken at, or 0 when there is none.</returns>
    /// <exception cref="CheckpointFormatException">The checkpoint is for other modules (an architecture change), does not
    /// say its step, or its step's optimiser state is missing.</exception>
    public static int Load(string directory, string name, IReadOnlyDictionary<string, nn.Module> modules,
        IReadOnlyDictionary<string, OptimizerHelper> optimizers)
    {
        var path = WeightsPath(directory, name);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var state = StateDictReader.Read(path);
        var step = Step(state.Metadata, path, directory);
        using (no_grad())
        {
            foreach (var (prefix, module) in modules)
            {
                foreach (var (key, tensor) in module.state_dict())
                {
                    if (!state.Tensors.TryGetValue($"{prefix}.{key}", out var saved) || !saved.shape.SequenceEqual(tensor.shape))
                    {
                        throw new CheckpointFormatException(
                            $"{Path.GetFileName(path)}: '{prefix}.{key}' is missing or has another shape: the checkpoint is from a different " +
                            $"architecture. Delete {directory} to start that stage over.", path);
                    }

                    tensor.copy_(saved);
                }
            }
        }

        foreach (var (key, optimizer) in optimizers)
        {
            // Checkpoints written before optimiser files carried their step have one unstamped file per optimiser.
            var stamped = OptimizerPath(directory, name, key, step);
            var unstamped = Path.Combine(directory, $"{name}.optimizer-{key}.bin");
            var file = File.Exists(stamped) ? stamped : File.Exists(unstamped) ? unstamped
                : throw new CheckpointFormatException(
                    $"{Path.GetFileName(path)} is at step {step} but {Path.GetFileName(stamped)}, its optimiser state, is missing. " +
                    $"Delete {directory} to start that stage over.", stamped);
            optimizer.load_state_dict(file);
        }

        return step;
    }

    /// <summary>Removes a finished stage's checkpoint (its result is written separately).</summary>
    public static void Delete(string directory, string name, IEnumerable<string> optimizerKeys)
    {
        File.Delete(WeightsPath(directory, name));
        foreach (var file in optimizerKeys.SelectMany(key => OptimizerFiles(directory, name, key)))
        {
            File.Delete(file);
        }
    }

    public static bool Exists(string directory, string name) => File.Exists(WeightsPath(directory, name));

    /// <summary>The step the checkpoint was taken at, or null when there is none.</summary>
    /// <exception cref="CheckpointFormatException">The weights file is damaged or does not say its step.</exception>
    public static int? SavedStep(string directory, string name)
    {
        var path = WeightsPath(directory, name);
        if (!File.Exists(path))
        {
            return null;
        }

        return Step(SafeTensorsReader.ReadMetadata(path), path, directory);
    }

    private static int Step(IReadOnlyDictionary<string, string> metadata, string path, string directory) =>
        metadata.TryGetValue(StepKey, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            ? step
            : throw new CheckpointFormatException(
                $"{Path.GetFileName(path)} does not say which step it holds: it is not a training checkpoint of this SDK. Delete {directory} to start that stage over.", path);

    /// <summary>The options (as JSON) the checkpoint was taken with, or null when there is no checkpoint (or it holds none).</summary>
    public static string? SavedOptions(string directory, string name)
    {
        var path = WeightsPath(directory, name);
        return File.Exists(path) && SafeTensorsReader.ReadMetadata(path).TryGetValue(OptionsKey, out var json) ? json : null;
    }

    /// <summary>The checkpoint's weights file, its commit point (the file that says a checkpoint exists).</summary>
    public static string WeightsPath(string directory, string name) => Path.Combine(directory, $"{name}.checkpoint.safetensors");

    private static string OptimizerPath(string directory, string name, string key, int step) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{name}.optimizer-{key}.step-{step}.bin"));

    /// <summary>Every optimiser state file of <paramref name="key"/>, whatever its step, the unstamped one of older
    /// checkpoints, and temporary files a killed save left.</summary>
    private static List<string> OptimizerFiles(string directory, string name, string key) =>
        Directory.EnumerateFiles(directory, $"{name}.optimizer-{key}.*")
            .Where(f => Path.GetFileName(f) is var file
                && (file.StartsWith($"{name}.optimizer-{key}.bin", StringComparison.Ordinal)
                    || file.StartsWith($"{name}.optimizer-{key}.step-", StringComparison.Ordinal)))
            .ToList();
}
