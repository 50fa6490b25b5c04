namespace Accounting.Model.Wire;
