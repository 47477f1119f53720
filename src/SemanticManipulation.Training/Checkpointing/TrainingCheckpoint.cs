using System.Globalization;
using SemanticManipulation.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Checkpointing;

/// <summary>
/// A resumable training checkpoint: the state dicts of named modules in one safetensors file (with the step and the
/// options in its metadata) plus one state file per optimiser. The weights file is written last, so its presence
/// marks a complete checkpoint; every file is replaced atomically.
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
            var path = OptimizerPath(directory, name, key);
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
    }

    /// <summary>Restores the last checkpoint, if there is one.</summary>
    /// <returns>The step it was taken at, or 0 when there is none.</returns>
    /// <exception cref="CheckpointFormatException">The checkpoint is for other modules (an architecture change).</exception>
    public static int Load(string directory, string name, IReadOnlyDictionary<string, nn.Module> modules,
        IReadOnlyDictionary<string, OptimizerHelper> optimizers)
    {
        var path = WeightsPath(directory, name);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var state = StateDictReader.Read(path);
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
            optimizer.load_state_dict(OptimizerPath(directory, name, key));
        }

        return int.Parse(state.Metadata[StepKey], CultureInfo.InvariantCulture);
    }

    /// <summary>Removes a finished stage's checkpoint (its result is written separately).</summary>
    public static void Delete(string directory, string name, IEnumerable<string> optimizerKeys)
    {
        File.Delete(WeightsPath(directory, name));
        foreach (var key in optimizerKeys)
        {
            File.Delete(OptimizerPath(directory, name, key));
        }
    }

    public static bool Exists(string directory, string name) => File.Exists(WeightsPath(directory, name));

    /// <summary>The step the checkpoint was taken at, or null when there is none.</summary>
    public static int? SavedStep(string directory, string name)
    {
        var path = WeightsPath(directory, name);
        if (!File.Exists(path))
        {
            return null;
        }

        return int.Parse(SafeTensorsReader.ReadMetadata(path)[StepKey], CultureInfo.InvariantCulture);
    }

    private static string WeightsPath(string directory, string name) => Path.Combine(directory, $"{name}.checkpoint.safetensors");

    private static string OptimizerPath(string directory, string name, string key) => Path.Combine(directory, $"{name}.optimizer-{key}.bin");
}
