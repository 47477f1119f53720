using System.Text.Json;
using System.Text.Json.Serialization;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Imaging;

namespace SemanticManipulation.Inversion;

/// <summary>
/// A resumable encoder-training checkpoint in a folder: the weights and BatchNorm statistics (<c>encoder.safetensors</c>,
/// loadable on its own with <see cref="HybridEncoder.Load"/>), which also carries in its metadata what the run is and
/// how far each part got, and the optimiser's state for the part in progress, in a file named with that part and step.
/// The weights file is the commit point: the optimiser file of its step is written before it and older ones are deleted
/// only after it, so a process killed at any moment leaves weights, progress and optimiser state of one step. Each
/// file is replaced atomically.
/// </summary>
internal sealed class EncoderTrainingCheckpoint
{
    public const string EncoderFile = "encoder.safetensors";

    private const string StateKey = "encoder_training_state";
    private const string OptimizerPrefix = "encoder-optimizer";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public EncoderTrainingCheckpoint(string directory) => Directory = directory;

    public string Directory { get; }

    public string EncoderPath => Path.Combine(Directory, EncoderFile);

    /// <summary>The optimiser file <paramref name="state"/> names, or null when it holds no optimiser state.</summary>
    public string? OptimizerPath(TrainingState state) => state.OptimizerFile is { } file ? Path.Combine(Directory, file) : null;

    /// <summary>The saved state, or null when the folder holds no checkpoint yet.</summary>
    /// <exception cref="InvalidDataException">The state is unreadable.</exception>
    public TrainingState? ReadState()
    {
        if (!File.Exists(EncoderPath) || !SafeTensorsReader.ReadMetadata(EncoderPath).TryGetValue(StateKey, out var text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingState>(text, Json) ?? throw new InvalidDataException($"{EncoderPath}: the training state is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{EncoderPath} holds no readable encoder-training state: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the optimiser's state (when given) under <paramref name="stamp"/>, then the weights with the
    /// progress (the commit), then deletes what older checkpoints left.</summary>
    /// <param name="network">The encoder being trained.</param>
    /// <param name="optimizer">The optimiser of the part in progress; null when the part is finished.</param>
    /// <param name="state">The progress; its optimiser fields are set here.</param>
    /// <param name="stamp">Names this checkpoint's optimiser file: the part and step it holds.</param>
    public void Write(HybridEncoderNetwork network, TorchSharp.Modules.OptimizerHelper? optimizer, TrainingState state, string stamp)
    {
        System.IO.Directory.CreateDirectory(Directory);
        state.OptimizerFile = optimizer is null ? null : $"{OptimizerPrefix}.{stamp}.bin";
        if (optimizer is not null)
        {
            var path = Path.Combine(Directory, state.OptimizerFile!);
            var temporary = path + ".tmp";
            optimizer.save_state_dict(temporary);
            File.Move(temporary, path, overwrite: true);
        }

        HybridEncoderCheckpoint.Save(network, EncoderPath, new Dictionary<string, string> { [StateKey] = JsonSerializer.Serialize(state, Json) });

        // Committed. What cannot be deleted now goes with the next checkpoint: failing here would report a written
        // checkpoint as failed.
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, OptimizerPrefix + "*").ToList())
        {
            if (Path.GetFileName(file) != state.OptimizerFile)
            {
                AtomicFile.TryDelete(file);
            }
        }
    }

    /// <summary>What a training run is (to refuse resuming a different one) and how far each part got.</summary>
    internal sealed class TrainingState
    {
        public int Version { get; set; } = 2;

        /// <summary>The generator geometry, trunk, batch size and seed, as text.</summary>
        public Dictionary<string, string> Fingerprint { get; set; } = [];

        /// <summary>Every part started so far, in training order; the last may be unfinished.</summary>
        public List<PartState> Parts { get; set; } = [];

        /// <summary>The file (in the checkpoint folder) holding the last part's optimiser state; null when that part
        /// is finished.</summary>
        public string? OptimizerFile { get; set; }
    }

    internal sealed class PartState
    {
        public EncoderTrainingStage Stage { get; set; }

        public string Part { get; set; } = "";

        public int StepsDone { get; set; }

        public double Seconds { get; set; }

        public double Loss { get; set; } = double.NaN;
    }
}
