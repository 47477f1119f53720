using Microsoft.Extensions.Logging;

namespace SemanticManipulation.Diagnostics;

/// <summary>Log messages of inversion: the feature network, the encoder, its training, and refinement (EventIds 60–79).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Information,
        Message = "Loaded ImageNet ResNet from {Path} (stage blocks {Blocks}, {ParameterCount} parameters) in {Seconds:F2} s; φ = {Name}")]
    public static partial void FeatureNetworkLoaded(ILogger logger, string path, string blocks, long parameterCount, double seconds, string name);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information,
        Message = "Loaded {Layout} hybrid encoder {Path}: trunk width {TrunkWidth}, r {Representation}, z {LatentSize}")]
    public static partial void EncoderLoaded(ILogger logger, string layout, string path, int trunkWidth, string representation, int latentSize);

    [LoggerMessage(EventId = 62, Level = LogLevel.Debug, Message = "Ignored {Count} checkpoint entries not used by the encoder: {Keys}")]
    public static partial void EncoderKeysIgnored(ILogger logger, int count, IReadOnlyList<string> keys);

    [LoggerMessage(EventId = 63, Level = LogLevel.Information,
        Message = "Training the hybrid encoder for a {Resolution}x{Resolution} generator: {TrunkSteps} trunk steps, {InverterSteps} steps for each of {InverterCount} inverters, {JointSteps} joint steps, batch {BatchSize}, seed {Seed}")]
    public static partial void EncoderTrainingStarted(ILogger logger, int resolution, int trunkSteps, int inverterSteps, int inverterCount, int jointSteps, int batchSize, long seed);

    [LoggerMessage(EventId = 64, Level = LogLevel.Information, Message = "Resuming encoder training from {Directory}: {Stage} {Part} after step {Step}")]
    public static partial void EncoderTrainingResumed(ILogger logger, string directory, SemanticManipulation.Inversion.EncoderTrainingStage stage, string part, int step);

    [LoggerMessage(EventId = 65, Level = LogLevel.Information, Message = "Encoder {Stage} {Part} step {Step}/{Steps}: loss {Loss:F5}")]
    public static partial void EncoderTrainingStep(ILogger logger, SemanticManipulation.Inversion.EncoderTrainingStage stage, string part, int step, int steps, double loss);

    [LoggerMessage(EventId = 66, Level = LogLevel.Information, Message = "Encoder {Stage} {Part}: {Steps} steps in {Seconds:F1} s, final loss {Loss:F5}")]
    public static partial void EncoderStageFinished(ILogger logger, SemanticManipulation.Inversion.EncoderTrainingStage stage, string part, int steps, double seconds, double loss);

    [LoggerMessage(EventId = 67, Level = LogLevel.Debug, Message = "Encoder checkpoint written to {Directory} at {Stage} {Part} step {Step}")]
    public static partial void EncoderCheckpointWritten(ILogger logger, string directory, SemanticManipulation.Inversion.EncoderTrainingStage stage, string part, int step);

    [LoggerMessage(EventId = 68, Level = LogLevel.Information,
        Message = "Inverting a {Resolution}x{Resolution} photo from the {Start} for {Steps} steps: residuals on {Layers}, φ = {FeatureLoss}")]
    public static partial void InversionStarted(ILogger logger, int resolution, SemanticManipulation.Inversion.InversionStart start, int steps, string layers, string featureLoss);

    [LoggerMessage(EventId = 69, Level = LogLevel.Debug, Message = "Inversion step {Step}/{Steps}: loss {Loss:F5}, PSNR {Psnr:F2} dB")]
    public static partial void InversionStep(ILogger logger, int step, int steps, double loss, double psnr);

    [LoggerMessage(EventId = 70, Level = LogLevel.Information,
        Message = "Inverted in {Steps} steps, {Seconds:F1} s: PSNR {Before:F2} dB -> {After:F2} dB, SSIM {Ssim:F3}")]
    public static partial void InversionFinished(ILogger logger, int steps, double seconds, double before, double after, double ssim);

    [LoggerMessage(EventId = 71, Level = LogLevel.Warning,
        Message = "The encoder (r {EncoderShape}, {EncoderResolution}x{EncoderResolution}) does not fit the generator (r {GeneratorShape}, {GeneratorResolution}x{GeneratorResolution}); starting from the mean representation instead")]
    public static partial void EncoderDoesNotFit(ILogger logger, string encoderShape, int encoderResolution, string generatorShape, int generatorResolution);
}
