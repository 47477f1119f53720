namespace SemanticManipulation.Training.World.Layout;

/// <summary>The silhouette family of a tree.</summary>
internal enum TreeKind
{
    /// <summary>A broad-leaved tree with a rounded, lobed crown.</summary>
    Round,

    /// <summary>A fir or spruce: a tiered cone.</summary>
    Conifer,

    /// <summary>A tall, narrow poplar or cypress.</summary>
    Poplar,

    /// <summary>A leafless or nearly leafless winter tree: branches and a sparse, gappy crown.</summary>
    Bare,

    /// <summary>A low shrub without a visible trunk (labelled tree, as vegetation).</summary>
    Bush,
}
