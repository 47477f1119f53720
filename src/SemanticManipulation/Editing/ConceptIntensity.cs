namespace SemanticManipulation.Editing;

/// <summary>How strongly a concept is painted: how many of its top units an edit changes (GANPaint Studio's brush
/// setting).</summary>
public enum ConceptIntensity
{
    /// <summary>Few units: the catalog's low count (GANPaint Studio: 4; the embedded model: 10).</summary>
    Low,

    /// <summary>Some units: the catalog's medium count (GANPaint Studio: 10; the embedded model: 20).</summary>
    Medium,

    /// <summary>Many units: the catalog's high count (GANPaint Studio: 15; the embedded model: 30). The default.</summary>
    High,
}
