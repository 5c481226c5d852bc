-- A few rows to try the API with: psql -d shop -f test-data.sql (after `alembic upgrade head`).

INSERT INTO categories (id, name) VALUES
    (1, 'Stationery'),
    (2, 'Kitchen'),
    (3, 'Garden'),
    (4, 'Games');

INSERT INTO products (id, name, category_id, price, stock) VALUES
    (1, 'Dot-grid notebook', 1, 6.50, 120),
    (2, 'Fountain pen', 1, 24.00, 15),
    (3, 'Cast-iron pan', 2, 39.90, 8),
    (4, 'Tea infuser', 2, 4.25, 60),
    (5, 'Pruning shears', 3, 18.75, 22),
    (6, 'Seed tray', 3, 3.10, 0),
    (7, 'Chess clock', 4, 45.00, 5),
    (8, 'Playing cards', 4, 3.10, 200);

INSERT INTO customers (id, email, name, city, registration_date) VALUES
    (1, 'mira.kovac@example.org', 'Mira Kovac', 'Ljubljana', '2025-02-03'),
    (2, 'tomas.berg@example.org', 'Tomas Berg', 'Oslo', '2025-03-17'),
    (3, 'ines.duarte@example.org', 'Ines Duarte', 'Braga', '2025-04-29'),
    (4, 'ola.nowak@example.org', 'Ola Nowak', 'Gdansk', '2025-06-11');
