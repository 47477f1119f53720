namespace SemanticManipulation.Pipeline;

/// <summary>The stage of the method an edit is in.</summary>
public enum SemanticEditStage
{
    /// <summary>Finding the photo's representation r.</summary>
    Inverting,

    /// <summary>Inverting a restyle reference.</summary>
    InvertingReference,

    /// <summary>Fitting the image-specific generator G'.</summary>
    Adapting,
}
