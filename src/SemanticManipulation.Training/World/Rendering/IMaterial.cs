namespace SemanticManipulation.Training.World.Rendering;

/// <summary>The colour of a surface at a scene point. Implemented by structs so shading is inlined into the fill loop.</summary>
internal interface IMaterial
{
    /// <summary>Called before each row of samples with the row's y, so that work depending only on y (sky gradient,
    /// ground perspective) is done once per row instead of once per sample. Most materials do nothing here.</summary>
    void BeginRow(float y);

    /// <summary>The colour at (x, y), given the colour already painted there (used by translucent surfaces).</summary>
    Rgb Shade(float x, float y, Rgb under);
}
