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
    public static partial void GeneratorLoaded(ILogger logger, string format, string path, int resolution, int layerCount, long parameterCount);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Ignored {Count} checkpoint entries not used by the generator: {Keys}")]
    public static partial void CheckpointKeysIgnored(ILogger logger, int count, string keys);
}
