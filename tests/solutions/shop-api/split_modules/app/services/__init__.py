"""Business logic, independent of HTTP: routers translate its results and errors."""


class ServiceError(Exception):
    """A request the shop refuses; the message is safe to show to the client."""


class NotFoundError(ServiceError):
    pass


class InvalidOrderError(ServiceError):
    pass


class OutOfStockError(ServiceError):
    pass
