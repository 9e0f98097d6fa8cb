namespace CityPairs.Web.Features.Common;

/// <summary>One page of a list and how many items the whole list holds, for server-side paging.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount);
