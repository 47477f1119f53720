using System.Text.Json.Serialization;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>The shape a mask is painted in by the edit evaluation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EditMaskShape>))]
public enum EditMaskShape
{
    /// <summary>A square aligned with the split layer's grid: whole feature cells, the easiest mask for the operators.</summary>
    Square,

    /// <summary>A tree's silhouette inside that square (a crown of overlapping discs on a trunk), as a person paints a tree:
    /// it cuts across feature cells, so the edit is weaker at its rim and must still fill the shape.</summary>
    Tree,

    /// <summary>The object's own ground-truth region, grown by a few pixels (what a remove edit paints).</summary>
    ObjectRegion,
}
