namespace SemanticManipulation.Editing;

/// <summary>How strongly a concept is painted: how many of its top units an edit changes (GANPaint Studio's brush
/// setting).</summary>
public enum ConceptIntensity
{
    /// <summary>Few units (4 by default).</summary>
    Low,

    /// <summary>Some units (10 by default).</summary>
    Medium,

    /// <summary>Many units (15 by default), the authors' default.</summary>
    High,
}
