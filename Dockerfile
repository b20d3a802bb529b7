# One image for every Baraza process; docker-compose.yml picks the process with
# `python -m bot.runtime serve {rasa,actions,web}`.
FROM python:3.10-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
COPY requirements.txt requirements.lock ./
RUN pip install -r requirements.txt -c requirements.lock
COPY . .
# The model is part of the image: trained at build time from the data in this commit.
RUN python -m bot.runtime.training
RUN useradd --system --home /app baraza && chown -R baraza /app
USER baraza
