namespace SemanticManipulation.Training.World;

/// <summary>Knobs for the scene distribution of a <see cref="SceneWorld"/>. The defaults are what models are trained on.</summary>
public sealed class SceneWorldOptions
{
    /// <summary>At most this many buildings per scene (0 to 3). Default 3.</summary>
    public int MaxBuildings { get; set; } = 3;

    /// <summary>At most this many trees per scene, not counting bushes (0 to 8). Default 8.</summary>
    public int MaxTrees { get; set; } = 8;

    /// <summary>Probability that the main building is domed (a domed church or rotunda). Default 0.42.</summary>
    public float DomeChance { get; set; } = 0.42f;

    /// <summary>Probability that a building is brick rather than stone. Default 0.55.</summary>
    public float BrickChance { get; set; } = 0.55f;

    /// <summary>Probability of a path leading to the main door. Default 0.65.</summary>
    public float PathChance { get; set; } = 0.65f;

    /// <summary>Probability that a clear or dusk sky has clouds (overcast skies always do). Default 0.88.</summary>
    public float CloudChance { get; set; } = 0.88f;

    /// <summary>Standard deviation of the sensor noise added to each pixel, in [0, 1] colour units. Default 0.01.</summary>
    public float SensorNoise { get; set; } = 0.01f;

    /// <summary>Throws if a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offending property is named in the exception.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBuildings, nameof(MaxBuildings));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBuildings, 3, nameof(MaxBuildings));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTrees, nameof(MaxTrees));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTrees, 8, nameof(MaxTrees));
        CheckProbability(DomeChance, nameof(DomeChance));
        CheckProbability(BrickChance, nameof(BrickChance));
        CheckProbability(PathChance, nameof(PathChance));
        CheckProbability(CloudChance, nameof(CloudChance));
        if (!(SensorNoise >= 0f && SensorNoise <= 0.2f))
        {
            throw new ArgumentOutOfRangeException(nameof(SensorNoise), SensorNoise, "The sensor noise must be in [0, 0.2].");
        }
    }

    internal SceneWorldOptions Clone() => (SceneWorldOptions)MemberwiseClone();

    private static void CheckProbability(float value, string name)
    {
        if (!(value >= 0f && value <= 1f))
        {
            throw new ArgumentOutOfRangeException(name, value, "A probability must be in [0, 1].");
        }
    }
}
