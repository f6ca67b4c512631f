"""One router per page: sign-in, home, cycles."""
