using FluentValidation;

namespace CityPairs.Web.Components;

/// <summary>
/// Lets a MudForm validate each field with the same FluentValidation validator the service runs again
/// before saving: <c>&lt;MudForm Model="_model" Validation="@_validator.ValidateValue()"&gt;</c>.
/// </summary>
public static class ValidatorExtensions
{
    public static Func<object, string, Task<IEnumerable<string>>> ValidateValue<T>(this IValidator<T> validator) =>
        async (model, propertyName) =>
        {
            var result = await validator.ValidateAsync(
                ValidationContext<T>.CreateWithOptions((T)model, options => options.IncludeProperties(propertyName)));
            return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
        };
}
