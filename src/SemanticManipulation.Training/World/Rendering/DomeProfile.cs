namespace SemanticManipulation.Training.World.Rendering;

/// <summary>The silhouette family of a dome.</summary>
internal enum DomeProfile
{
    /// <summary>A half-ellipse: classical hemispherical or saucer domes.</summary>
    Hemisphere,

    /// <summary>A bulb that swells beyond its base and tapers to a point.</summary>
    Onion,
}
