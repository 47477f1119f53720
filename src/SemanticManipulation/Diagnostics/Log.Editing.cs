using Microsoft.Extensions.Logging;

namespace SemanticManipulation.Diagnostics;

/// <summary>Log messages of editing, concept catalogs and dissection (event ids 40–59).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information,
        Message = "Loaded {Format} concept catalog {Name}: {ConceptCount} concepts, {UnitCount} units of {Layer}, {SquashCount} squash units")]
    public static partial void CatalogLoaded(ILogger logger, string format, string name, int conceptCount, int unitCount, string layer, int squashCount);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information,
        Message = "{Name}: units {Units} fire far above the others (levels {Levels}); excluded from edits as squash units")]
    public static partial void SquashUnitsDetected(ILogger logger, string name, IReadOnlyList<int> units, IReadOnlyList<float> levels);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "{Note}")]
    public static partial void MaskResized(ILogger logger, string note);

    [LoggerMessage(EventId = 43, Level = LogLevel.Debug,
        Message = "Edit stroke '{Operator}' ({Concept}): {UnitCount} units, strength {Strength}, mask covers {Coverage:P1}")]
    public static partial void StrokeCreated(ILogger logger, string @operator, string concept, int unitCount, float strength, double coverage);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "{Note}")]
    public static partial void FewerUnitsThanRequested(ILogger logger, string note);

    [LoggerMessage(EventId = 45, Level = LogLevel.Information,
        Message = "Dissecting {Layer} ({UnitCount} units) against {LabelCount} concepts: {QuantileSamples} samples for levels, {SegmentationSamples} for IoU at {Resolution}x{Resolution}, seed {Seed}")]
    public static partial void DissectionStarted(ILogger logger, string layer, int unitCount, int labelCount, int quantileSamples, int segmentationSamples, int resolution, long seed);

    [LoggerMessage(EventId = 46, Level = LogLevel.Debug, Message = "Dissection {Stage}: {Completed}/{Total} samples")]
    public static partial void DissectionStep(ILogger logger, SemanticManipulation.Dissection.DissectionStage stage, int completed, int total);

    [LoggerMessage(EventId = 47, Level = LogLevel.Information,
        Message = "Dissected in {Seconds:F1} s: {ConceptCount} concepts ranked, {SquashCount} squash units")]
    public static partial void DissectionFinished(ILogger logger, double seconds, int conceptCount, int squashCount);

    [LoggerMessage(EventId = 48, Level = LogLevel.Warning,
        Message = "Concept '{Concept}' covers {Fraction:P3} of the sampled pixels, below the {Minimum:P3} needed to rank units reliably; it is left out of the catalog")]
    public static partial void ConceptTooRare(ILogger logger, string concept, double fraction, double minimum);
}
