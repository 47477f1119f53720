using System.Text.Json;
using System.Text.Json.Serialization;
using SemanticManipulation.Imaging;

namespace SemanticManipulation.Inversion;

/// <summary>
/// A resumable encoder-training checkpoint in a folder: the weights and BatchNorm statistics
/// (<c>encoder.safetensors</c>, loadable on its own with <see cref="HybridEncoder.Load"/>), the optimiser's state for
/// the part in progress, and <c>encoder-training.json</c> (what the run is, and how far each part got). Each file is
/// replaced atomically; the JSON is written last, so it never claims more than the weights hold.
/// </summary>
internal sealed class EncoderTrainingCheckpoint
{
    public const string EncoderFile = "encoder.safetensors";
    public const string OptimizerFile = "encoder-optimizer.bin";
    public const string StateFile = "encoder-training.json";

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

    public string OptimizerPath => Path.Combine(Directory, OptimizerFile);

    public string StatePath => Path.Combine(Directory, StateFile);

    /// <summary>The saved state, or null when the folder holds no checkpoint yet.</summary>
    /// <exception cref="InvalidDataException">The state file is unreadable.</exception>
    public TrainingState? ReadState()
    {
        if (!File.Exists(StatePath))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(StatePath), Json)
                ?? throw new InvalidDataException($"{StatePath} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{StatePath} is not a readable encoder-training state: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the weights, the optimiser's state (when given) and then the progress.</summary>
    public void Write(HybridEncoderNetwork network, TorchSharp.Modules.OptimizerHelper? optimizer, TrainingState state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        HybridEncoderCheckpoint.Save(network, EncoderPath);
        if (optimizer is not null)
        {
            var temporary = OptimizerPath + ".tmp";
            optimizer.save_state_dict(temporary);
            File.Move(temporary, OptimizerPath, overwrite: true);
        }
        else
        {
            File.Delete(OptimizerPath);
        }

        AtomicFile.Write(StatePath, stream => JsonSerializer.Serialize(stream, state, Json));
    }

    /// <summary>What a training run is (to refuse resuming a different one) and how far each part got.</summary>
    internal sealed class TrainingState
    {
        public int Version { get; set; } = 1;

        /// <summary>The generator geometry, trunk, batch size and seed, as text.</summary>
        public Dictionary<string, string> Fingerprint { get; set; } = [];

        /// <summary>Every part started so far, in training order; the last may be unfinished.</summary>
        public List<PartState> Parts { get; set; } = [];

        /// <summary>Whether the optimiser file belongs to the last part.</summary>
        public bool HasOptimizerState { get; set; }
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
