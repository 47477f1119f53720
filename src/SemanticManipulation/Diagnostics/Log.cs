using Microsoft.Extensions.Logging;

namespace SemanticManipulation.Diagnostics;

/// <summary>Every log message the SDK writes, source-generated so that disabled levels cost nothing.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "TorchSharp native runtime: {Description}")]
    public static partial void NativeRuntimePatched(ILogger logger, string description);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "TorchSharp native runtime: {Description}")]
    public static partial void NativeRuntimeLoaded(ILogger logger, string description);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "TorchSharp native runtime could not be loaded")]
    public static partial void NativeRuntimeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Loaded {Format} generator checkpoint {Path}: {Resolution}x{Resolution}, {LayerCount} layers, {ParameterCount} parameters")]
    public static partial void GeneratorLoaded(ILogger logger, SemanticManipulation.Checkpoints.CheckpointFormat format, string path, int resolution, int layerCount, long parameterCount);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Ignored {Count} checkpoint entries not used by the generator: {Keys}")]
    public static partial void CheckpointKeysIgnored(ILogger logger, int count, IReadOnlyList<string> keys);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "Adapting G' ({Kind} δ, {Mode}) for {Steps} steps at {Resolution}x{Resolution}, {PointCount} perturbation points; learning rate {LearningRate:G3}, {Schedule}")]
    public static partial void AdaptationStarted(ILogger logger, string kind, SemanticManipulation.Adaptation.PerturbationMode mode, int steps, int resolution, int pointCount,
        double learningRate, SemanticManipulation.Adaptation.LearningRateSchedule schedule);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Adaptation step {Step}/{Steps}: loss {Loss:F5}, kept-pixel PSNR {Psnr:F2} dB")]
    public static partial void AdaptationStep(ILogger logger, int step, int steps, double loss, double psnr);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information,
        Message = "Adapted in {Steps} steps, {Seconds:F1} s: kept-pixel PSNR {Before:F2} dB -> {After:F2} dB")]
    public static partial void AdaptationFinished(ILogger logger, int steps, double seconds, double before, double after);
}
