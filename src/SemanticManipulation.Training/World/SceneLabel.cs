namespace SemanticManipulation.Training.World;

/// <summary>
/// The class of a pixel in a <see cref="SceneWorld"/> image. The numeric values are stable: they are stored in label
/// maps and tensors, and trained models depend on them.
/// </summary>
public enum SceneLabel : byte
{
    /// <summary>Open sky.</summary>
    Sky = 0,

    /// <summary>A cloud.</summary>
    Cloud = 1,

    /// <summary>Distant terrain at the horizon: hills or a far tree line.</summary>
    Hill = 2,

    /// <summary>Meadow.</summary>
    Grass = 3,

    /// <summary>A gravel or dirt path.</summary>
    Path = 4,

    /// <summary>A tree or bush (crown and trunk).</summary>
    Tree = 5,

    /// <summary>Brick walls, including brick towers and chimneys.</summary>
    Brick = 6,

    /// <summary>Stone walls, including stone towers and drums.</summary>
    Stone = 7,

    /// <summary>Roofs, including spires and pyramid tower roofs.</summary>
    Roof = 8,

    /// <summary>Domes and onion domes, with their lanterns and finials.</summary>
    Dome = 9,

    /// <summary>A door.</summary>
    Door = 10,

    /// <summary>A window, dark or lit, including belfry openings and rose windows.</summary>
    Window = 11,
}
