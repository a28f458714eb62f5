__all__ = ['ttypes', 'constants', 'EventReceiver']
